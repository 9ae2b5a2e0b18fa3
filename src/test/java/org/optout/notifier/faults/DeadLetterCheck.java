package org.optout.notifier.faults;

/** What the dead-letter topics of a stage hold. */
final class DeadLetterCheck {

    private DeadLetterCheck() {
    }

    /** A scenario with only valid input: nothing may be dead-lettered. */
    static void none(Finding finding, Stage stage) {
        long changes = stage.topics().count(Stage.deadLetters(stage.policyChanges()));
        long signUps = stage.topics().count(Stage.deadLetters(stage.signUps()));
        finding.check(changes + signUps == 0, changes + " policy changes and " + signUps
                + " sign-ups dead-lettered, all of them valid");
    }
}
