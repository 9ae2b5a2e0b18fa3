package org.optout.notifier.problem;

/** A link or resource that does not exist (or no longer does); the response never says which. */
public class NotFoundProblem extends RuntimeException {

    public NotFoundProblem(String detail) {
        super(detail, null, false, false);
    }
}
