package org.optout.notifier.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arithmetic of the benchmark's report, and what it takes from smtp-sink's dump files. */
class FiguresTest {

    @Test
    void medianSpreadAndQuantilesOfTheReadings() {
        Stats odd = Stats.of(List.of(30.0, 10.0, 20.0));
        assertThat(odd.median()).isEqualTo(20.0);
        assertThat(odd.spread()).isEqualTo(1.0);
        assertThat(Stats.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
        List<Double> latencies = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0);
        assertThat(Stats.quantile(latencies, 0.5)).isEqualTo(5.0);
        assertThat(Stats.quantile(latencies, 0.99)).isEqualTo(10.0);
    }

    @Test
    void theRatioSaysHowGoodTheServiceIsWhetherMoreOrLessIsBetter() {
        Figure rate = Figure.of("delivery", "n", "mails/s", Stats.of(List.of(50.0)), "mails/s", true)
                .against("bare client", Stats.of(List.of(2000.0))).target(1000.0, 0.5);
        assertThat(rate.ratio()).isCloseTo(0.025, within(1e-9));
        assertThat(rate.met()).isFalse();
        Figure time = Figure.of("fan-out", "n", "time", Stats.of(List.of(10.0)), "s", false)
                .against("COPY", Stats.of(List.of(6.0))).target(15.0, 0.5);
        assertThat(time.ratio()).isCloseTo(0.6, within(1e-9));
        assertThat(time.met()).isTrue();
        assertThat(time.targetText()).isEqualTo("≤ 15.0 s, ratio ≥ 0.5");
        assertThat(Figure.of("start-up", "n", "RSS", Stats.of(List.of(1.0)), "MiB", false).met()).isNull();
    }

    @Test
    void dumpedMessagesLoseTheEnvelopeAndTraceHeaderSmtpSinkAdds(@TempDir Path dump) throws Exception {
        Files.writeString(dump.resolve("131118.2459cf15"), """
                X-Client-Addr: 127.0.0.1
                X-Client-Proto: SMTP
                X-Helo-Args: vm
                X-Mail-Args: <noreply@optout.example.org>
                X-Rcpt-Args: <a@example.org>
                Received: from vm ([127.0.0.1])
                \tby smtp-sink (smtp-sink) with SMTP id 2459cf15;
                \tWed,  2 Dec 2026 13:11:18 +0000 (UTC)
                Subject: Act before 2 January
                Message-ID: <reminders-1@optout-notifier>

                Body
                .line starting with a dot


                """);
        assertThat(new String(SmtpSink.dumped(dump).get(0), StandardCharsets.UTF_8)).isEqualTo(
                "Subject: Act before 2 January\r\nMessage-ID: <reminders-1@optout-notifier>\r\n\r\nBody\r\n"
                        + ".line starting with a dot\r\n");
    }
}
