package org.optout.notifier.faults;

/** One fault the suite injects, with the load it holds meanwhile and the promises it checks. */
interface FaultScenario {

    String name();

    Finding run(FaultRun run) throws Exception;
}
