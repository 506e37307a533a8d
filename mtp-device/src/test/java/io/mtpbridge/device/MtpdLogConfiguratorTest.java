package io.mtpbridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.status.WarnStatus;
import java.io.IOException;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class MtpdLogConfiguratorTest {
  @Test void layoutIsTimeLevelThreadClassAndMessage() {
    LoggerContext context = new LoggerContext();
    MtpdLogConfigurator.LineLayout layout = new MtpdLogConfigurator.LineLayout();
    layout.setContext(context);
    layout.start();
    LoggingEvent e = new LoggingEvent("x", context.getLogger("io.mtpbridge.core.responder.MtpResponder"), Level.INFO,
        "session {} opened", null, new Object[] {7});
    e.setThreadName("mtp-protocol");
    // 01:02:03.004 local time
    long utc = ((1 * 60 + 2) * 60 + 3) * 1000L + 4;
    e.setTimeStamp(utc - TimeZone.getDefault().getOffset(utc));
    assertEquals("01:02:03.004 INFO  [mtp-protocol] MtpResponder: session 7 opened\n", layout.doLayout(e));
  }

  @Test void aThrowableFollowsItsLine() {
    LoggerContext context = new LoggerContext();
    MtpdLogConfigurator.LineLayout layout = new MtpdLogConfigurator.LineLayout();
    layout.setContext(context);
    layout.start();
    LoggingEvent e = new LoggingEvent("x", context.getLogger("Top"), Level.ERROR, "failed", new IOException("disk gone"), null);
    String out = layout.doLayout(e);
    assertTrue(out.contains(" ERROR [") && out.contains("] Top: failed\njava.io.IOException: disk gone\n"), out);
    assertTrue(out.contains("\tat "), "the stack trace is there: " + out);
  }

  /** logback's own problems still reach stderr, through a status listener (issue 11: no status printer at start). */
  @Test void logbackProblemsAreReportedOnStderr() {
    LoggerContext context = new LoggerContext();
    context.getStatusManager().add(new WarnStatus("before configuring", this));
    MtpdLogConfigurator c = new MtpdLogConfigurator();
    c.setContext(context);
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    try {
      System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
      c.configure(context);
      context.getStatusManager().add(new InfoStatus("nothing wrong", this));
      context.getStatusManager().add(new ErrorStatus("appender broke", this, new IOException("disk gone")));
    } finally {
      System.setErr(err);
    }
    assertTrue(StatusUtil.contextHasStatusListener(context), "logback would print its statuses itself");
    String out = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(out.contains("logback: WARN") && out.contains("before configuring"), out);
    assertTrue(out.contains("logback: ERROR") && out.contains("appender broke") && out.contains("disk gone"), out);
    assertFalse(out.contains("nothing wrong"), out);
  }

  @Test void stderrAtInfoUnlessAConfigurationFileIsGiven() {
    LoggerContext context = new LoggerContext();
    MtpdLogConfigurator c = new MtpdLogConfigurator();
    c.setContext(context);
    assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, c.configure(context));
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.INFO, root.getLevel());
    assertEquals("System.err", ((ConsoleAppender<?>) root.getAppender("STDERR")).getTarget());

    System.setProperty("logback.configurationFile", "/etc/mtpd-logback.xml");
    try {
      LoggerContext other = new LoggerContext();
      assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, c.configure(other));
    } finally {
      System.clearProperty("logback.configurationFile");
    }
  }
}
