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

    /**
     * @param processCpu the recorded process's mean share of the whole machine's CPU (all cores), from JFR's
     *        once-a-second {@code jdk.CPULoad}: where it nears the machine's share, the cores were the limit, whatever
     *        the Java samples (which miss the JVM's own work: class loading, compiling, collecting) say
     */
    record Summary(long samples, List<Cost> self, List<Cost> components, List<Cost> service, double processCpu,
            double machineCpu) {
    }

    /** Libraries by package, so that thousands of small methods add up to the costs they are part of. */
    private static final List<String[]> COMPONENTS = List.of(
            new String[] {SERVICE_PACKAGE, "the service's own code"},
            new String[] {"org.hibernate.", "Hibernate ORM"}, new String[] {"org.postgresql.", "PostgreSQL JDBC"},
            new String[] {"io.agroal.", "Agroal connection pool"},
            new String[] {"com.arjuna.", "Narayana transactions"}, new String[] {"io.narayana.", "Narayana transactions"},
            new String[] {"io.quarkus.qute.", "Qute templates"}, new String[] {"io.vertx.ext.mail.", "Vert.x mail client"},
            new String[] {"io.quarkus.mailer.", "Quarkus mailer"}, new String[] {"io.netty.", "Netty I/O"},
            new String[] {"io.vertx.", "Vert.x core"}, new String[] {"org.apache.kafka.", "Kafka client"},
            new String[] {"io.smallrye.config.", "SmallRye Config"}, new String[] {"io.micrometer.", "Micrometer"},
            new String[] {"com.fasterxml.jackson.", "Jackson"}, new String[] {"io.smallrye.mutiny.", "Mutiny"},
            new String[] {"io.quarkus.arc.", "ArC (CDI)"}, new String[] {"biweekly.", "biweekly (.ics)"},
            new String[] {"java.util.regex.", "JDK regex"}, new String[] {"java.", "JDK"},
            new String[] {"jdk.", "JDK"}, new String[] {"sun.", "JDK"});

    private JfrSummary() {
    }

    static Summary of(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> components = new HashMap<>();
        Map<String, Integer> service = new HashMap<>();
        long samples = 0;
        CpuLoad cpu = new CpuLoad();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                cpu.add(event);
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                        || event.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                components.merge(component(name(frames.get(0))), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    String name = name(frame);
                    // Lambdas and generated proxies repeat the method that made them.
                    if (name.startsWith(SERVICE_PACKAGE) && !name.contains("$$") && !name.contains("lambda$")
                            && seen.add(name)) {
                        service.merge(name, 1, Integer::sum);
                    }
                }
            }
        }
        return new Summary(samples, top(self, samples, top), top(components, samples, top),
                top(service, samples, top), cpu.mean(cpu.process), cpu.mean(cpu.machine));
    }

    /** The sums of JFR's CPU load readings; the first, taken before anything ran, reads 0 and is left out. */
    private static final class CpuLoad {
        double process;
        double machine;
        int readings;

        void add(RecordedEvent event) {
            if (event.getEventType().getName().equals("jdk.CPULoad") && event.getFloat("machineTotal") > 0) {
                process += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                machine += event.getFloat("machineTotal");
                readings++;
            }
        }

        double mean(double sum) {
            return readings == 0 ? Double.NaN : sum / readings;
        }
    }

    private static List<Cost> top(Map<String, Integer> counts, long samples, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .map(e -> new Cost(e.getKey(), e.getValue() / (double) samples)).toList();
    }

    private static String component(String method) {
        return COMPONENTS.stream().filter(c -> method.startsWith(c[0])).map(c -> c[1]).findFirst()
                .orElse(method.substring(0, Math.max(0, method.lastIndexOf('.'))));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
