package org.optout.notifier.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.optout.notifier.config.NotifierConfig;

/** The platforms subscribers and publishers can name: codes with display names, from configuration. */
@ApplicationScoped
public class PlatformCatalogue {

    public record Platform(String code, String name) {
    }

    private final Map<String, String> platforms;

    PlatformCatalogue(NotifierConfig config) {
        this.platforms = Map.copyOf(config.platforms());
    }

    public boolean contains(String code) {
        return code != null && platforms.containsKey(code);
    }

    public String name(String code) {
        return platforms.getOrDefault(code, code);
    }

    /** All platforms, by display name. */
    public List<Platform> all() {
        return platforms.entrySet().stream()
                .map(entry -> new Platform(entry.getKey(), entry.getValue()))
                .sorted(Comparator.comparing(platform -> platform.name().toLowerCase(java.util.Locale.ROOT)))
                .toList();
    }
}
