package org.optout.notifier.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * What one scenario did and saw: the load it held, the faults it injected, the bad inputs it tried, what was lost and
 * doubled, and each promise it found broken (none: it passed).
 */
final class Finding {

    private final String scenario;
    private String load = "";
    private String faults = "";
    private String badInputs = "none";
    private long lost;
    private long duplicates;
    private String duplicateBound = "0";
    private final List<String> notes = new ArrayList<>();
    private final List<String> broken = new ArrayList<>();

    Finding(String scenario) {
        this.scenario = scenario;
    }

    Finding load(String load) {
        this.load = load;
        return this;
    }

    Finding faults(String faults) {
        this.faults = faults;
        return this;
    }

    Finding badInputs(String badInputs) {
        this.badInputs = badInputs;
        return this;
    }

    Finding lost(long lost) {
        this.lost = lost;
        check(lost == 0, lost + " lost");
        return this;
    }

    /** Duplicates counted, and the most the promise allows. */
    Finding duplicates(long duplicates, long bound, String boundReason) {
        this.duplicates = duplicates;
        this.duplicateBound = bound + (boundReason.isEmpty() ? "" : ": " + boundReason);
        check(duplicates <= bound, duplicates + " duplicates, more than the bound of " + bound);
        return this;
    }

    Finding note(String note) {
        notes.add(note);
        FaultSuite.log("  " + note);
        return this;
    }

    /** Records a broken promise unless {@code holds}. */
    Finding check(boolean holds, String broken) {
        if (!holds) {
            this.broken.add(broken);
            FaultSuite.log("  BROKEN: " + broken);
        }
        return this;
    }

    boolean passed() {
        return broken.isEmpty();
    }

    String scenario() {
        return scenario;
    }

    String row() {
        return String.join(" | ", "", scenario, load, faults, badInputs, String.valueOf(lost),
                duplicates + " (bound " + duplicateBound + ")", passed() ? "passed" : "**failed**: "
                        + String.join("; ", broken), String.join("; ", notes), "").strip();
    }
}
