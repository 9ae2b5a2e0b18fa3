package org.optout.notifier.problem;

import java.util.List;

/**
 * A request that broke one or more rules. Becomes a 400 problem listing every field, a re-rendered form, or a
 * dead-letter record whose reason is {@link #getMessage()}.
 */
public class InvalidRequestException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(FieldError.summary(errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
