package org.optout.notifier.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top costs in a JFR recording (the JDK's own profiler, {@code settings=profile}): where the CPU samples were,
 * by the method on top of the stack (self), and by the service's own methods anywhere on the stack (total).
 */
final class JfrSummary {

    static final String SERVICE_PACKAGE = "org.optout.notifier.";

    record Cost(String method, double share) {
    }

    record Summary(long samples, List<Cost> self, List<Cost> service) {
    }

    private JfrSummary() {
    }

    static Summary of(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> service = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                        || event.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    String name = name(frame);
                    if (name.startsWith(SERVICE_PACKAGE) && seen.add(name)) {
                        service.merge(name, 1, Integer::sum);
                    }
                }
            }
        }
        return new Summary(samples, top(self, samples, top), top(service, samples, top));
    }

    private static List<Cost> top(Map<String, Integer> counts, long samples, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .map(e -> new Cost(e.getKey(), e.getValue() / (double) samples)).toList();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
