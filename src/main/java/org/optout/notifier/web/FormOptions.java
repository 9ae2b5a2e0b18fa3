package org.optout.notifier.web;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.Collator;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.optout.notifier.platform.PlatformCatalogue;
import org.optout.notifier.region.Regions;
import org.optout.notifier.subscription.Language;

/** The choices the forms offer (countries by their name in the page's language, platforms, hours, lead days). */
@ApplicationScoped
public class FormOptions {

    public record Option(String value, String label) {
    }

    private final PlatformCatalogue platforms;

    FormOptions(PlatformCatalogue platforms) {
        this.platforms = platforms;
    }

    /** Countries by their name in the language of {@code tag}. */
    public List<Option> countries(String tag) {
        Language language = Language.fromTag(tag).orElse(Language.EN);
        Collator collator = Collator.getInstance(language.locale());
        return Regions.countries().stream()
                .map(code -> new Option(code, Regions.displayName(code, language.locale())))
                .sorted(Comparator.comparing(Option::label, collator))
                .toList();
    }

    public List<PlatformCatalogue.Platform> platforms() {
        return platforms.all();
    }

    public List<Integer> hours() {
        return IntStream.range(0, 24).boxed().toList();
    }

    public List<Integer> leadDayChoices() {
        return PreferencesForm.LEAD_DAY_CHOICES;
    }

    /** The page texts in a language, for messages composed in Java (form errors). */
    public static Messages messages(Language language) {
        return language == Language.EN ? MessageBundles.get(Messages.class)
                : MessageBundles.get(Messages.class, Localized.Literal.of(language.tag()));
    }
}
