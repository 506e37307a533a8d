package io.mtpbridge.device;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.status.StatusManager;
import java.util.TimeZone;
import org.slf4j.Logger;

/**
 * mtpd's logging: one line per event on stderr (journald under systemd), level INFO until
 * {@code --log-level} says otherwise, as {@code 12:34:56.789 INFO  [thread] Class: message}.
 *
 * <p>Set up in code, not from a logback.xml, because reading XML at start-up loaded the JDK's XML
 * parser and logback's configuration model, and logback's pattern layout registers every
 * converter it knows: about 750 classes, a good part of what a small board loaded before the
 * gadget could bind. A {@code -Dlogback.configurationFile=...} still replaces this.
 *
 * <p>No {@code @ConfiguratorRank}: it is the only configurator mtpd's jar declares as a service, so
 * the rank orders nothing, and logback reads it at every start through the annotation machinery,
 * which generates two proxy classes (about 70 classes loaded, none of them archivable) before the
 * gadget could bind. Without it logback finds no annotation to parse.
 */
public final class MtpdLogConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    LineLayout layout = new LineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr);
    StatusManager statuses = context.getStatusManager();
    ProblemReporter problems = new ProblemReporter();
    for (Status s : statuses.getCopyOfStatusList()) problems.addStatusEvent(s);
    statuses.add(problems);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Reports logback's own warnings and errors (an appender that fails, say) on stderr as they
   * happen. Without a status listener logback checks its status messages after configuring and
   * prints them all when one is a warning or an error, which loads java.time's formatters and reads
   * the time-zone rules from disk at every start, before the gadget could bind.
   */
  static final class ProblemReporter implements StatusListener {
    @Override
    public void addStatusEvent(Status status) {
      if (status.getEffectiveLevel() < Status.WARN) return;
      System.err.println("logback: " + status);
      if (status.getThrowable() != null) status.getThrowable().printStackTrace();
    }
  }

  /** {@code HH:mm:ss.SSS LEVEL [thread] SimpleClassName: message}, then the stack trace if any. */
  static final class LineLayout extends LayoutBase<ILoggingEvent> {
    /** Read at the first event, not when logging is set up: it reads the time-zone rules from disk. */
    private static final class Zone {
      static final TimeZone DEFAULT = TimeZone.getDefault();
    }

    @Override
    public String doLayout(ILoggingEvent e) {
      StringBuilder b = new StringBuilder(128);
      long t = e.getTimeStamp();
      long ms = Math.floorMod(t + Zone.DEFAULT.getOffset(t), 86_400_000L);
      two(b, ms / 3_600_000).append(':');
      two(b, ms / 60_000 % 60).append(':');
      two(b, ms / 1000 % 60).append('.');
      long milli = ms % 1000;
      if (milli < 100) b.append('0');
      if (milli < 10) b.append('0');
      b.append(milli).append(' ');
      String level = e.getLevel().toString();
      b.append(level);
      for (int i = level.length(); i < 5; i++) b.append(' ');
      b.append(" [").append(e.getThreadName()).append("] ");
      String logger = e.getLoggerName();
      b.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ");
      b.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) b.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      return b.toString();
    }

    private static StringBuilder two(StringBuilder b, long v) {
      if (v < 10) b.append('0');
      return b.append(v);
    }
  }
}
