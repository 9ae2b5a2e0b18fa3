package org.optout.notifier.problem;

/** A request that the resource's current state does not allow (approving a change that is not held, ...). */
public class ConflictProblem extends RuntimeException {

    public ConflictProblem(String detail) {
        super(detail, null, false, false);
    }
}
