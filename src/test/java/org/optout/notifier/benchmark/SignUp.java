package org.optout.notifier.benchmark;

/** Sign-up (written next). */
final class SignUp implements Scenario {

    @Override
    public String name() {
        return "sign-up";
    }

    @Override
    public void run(BenchRun run) {
        throw new UnsupportedOperationException("sign-up");
    }
}
