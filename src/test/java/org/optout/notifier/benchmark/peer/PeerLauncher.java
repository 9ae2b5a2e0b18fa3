package org.optout.notifier.benchmark.peer;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs {@link DbSchedulerPeer} in a JVM of the benchmark's own, started by the harness with the harness's class path:
 * the JUnit Platform launcher boots Quarkus for the test as an IDE would, without Maven's start and project model,
 * which took longer than the peer's measurements at the small size.
 */
public final class PeerLauncher {

    /** By name: Quarkus' launcher session loads the test class in its own class loader, which a Class here would skip. */
    private static final String PEER = "org.optout.notifier.benchmark.peer.DbSchedulerPeer";

    private PeerLauncher() {
    }

    public static void main(String[] args) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(PEER)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out, true));
        summary.printFailuresTo(new PrintWriter(System.out, true), 30);
        System.exit(summary.getTestsSucceededCount() == 1 ? 0 : 1);
    }
}
