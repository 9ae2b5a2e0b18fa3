package org.optout.notifier.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optout.notifier.problem.FieldError;

/** Validation errors as the pages show them: one message in the page's language next to each form field. */
final class FormErrors {

    private FormErrors() {
    }

    static Map<String, String> byField(List<FieldError> errors, Messages messages) {
        Map<String, String> byField = new LinkedHashMap<>();
        for (FieldError error : errors) {
            String field = error.field().replaceAll("\\[\\d+]$", "");
            byField.putIfAbsent(field, message(field, error.rule(), messages));
        }
        return byField;
    }

    private static String message(String field, String rule, Messages messages) {
        if (rule.equals("required")) {
            return messages.errorRequired();
        }
        if (rule.equals("no-control-characters")) {
            return messages.errorControlCharacters();
        }
        return switch (field) {
            case "email" -> messages.errorEmail();
            case "country" -> messages.errorCountry();
            case "platforms" -> messages.errorPlatforms();
            case "leadDays" -> messages.errorLeadDays();
            case "sendHour" -> messages.errorSendHour();
            case "language" -> messages.errorLanguage();
            case "timeZone" -> messages.errorTimeZone();
            default -> messages.errorOther();
        };
    }
}
