package org.optout.notifier.faults;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.optout.notifier.infrastructure.PackagedApplication;

/**
 * Polls an instance's liveness and readiness every half second while a fault lasts, as Kubernetes' probes would: a
 * liveness answer other than 200 is what would restart the pod.
 */
final class HealthWatch implements AutoCloseable {

    private final PackagedApplication application;
    private final Set<Integer> readiness = ConcurrentHashMap.newKeySet();
    private final AtomicInteger livenessFailures = new AtomicInteger();
    private final AtomicInteger lastReadiness = new AtomicInteger();
    private final Thread poller;
    private volatile boolean running = true;

    HealthWatch(PackagedApplication application) {
        this.application = application;
        this.poller = new Thread(this::poll, "health-watch");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (running) {
            try {
                if (PackagedApplication.status(application.managementUri("/q/health/live")) != 200) {
                    livenessFailures.incrementAndGet();
                }
                int ready = PackagedApplication.status(application.managementUri("/q/health/ready"));
                readiness.add(ready);
                lastReadiness.set(ready);
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            } catch (java.io.IOException e) {
                livenessFailures.incrementAndGet();
            }
        }
    }

    /** Liveness answers other than 200 (or no answer at all). */
    int livenessFailures() {
        return livenessFailures.get();
    }

    boolean wasNotReady() {
        return readiness.contains(503);
    }

    int lastReadiness() {
        return lastReadiness.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.interrupt();
        poller.join();
    }
}
