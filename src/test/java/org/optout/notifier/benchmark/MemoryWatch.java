package org.optout.notifier.benchmark;

/** Samples a running service's heap and resident memory twice a second and keeps the peaks. */
final class MemoryWatch implements AutoCloseable {

    private final ServiceUnderTest service;
    private final Thread sampler;
    private volatile double peakHeap;
    private volatile double peakResident;
    private volatile boolean running = true;

    MemoryWatch(ServiceUnderTest service) {
        this.service = service;
        this.sampler = new Thread(this::sample, "memory-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            peakHeap = Math.max(peakHeap, service.heapMiB());
            peakResident = Math.max(peakResident, service.residentMiB());
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    double peakHeapMiB() {
        return peakHeap;
    }

    double peakResidentMiB() {
        return peakResident;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }
}
