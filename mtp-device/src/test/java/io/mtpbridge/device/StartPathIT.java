package io.mtpbridge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What mtpd as packaged (launcher, jar, class-data archive, JNA's native part beside the jar)
 * loads on its way to the bound moment and while it idles, through {@link StartPathProbe}: the
 * start path stays free of the costs that were taken off it (benchmarks/README.md, "R11"). Each
 * costs resident memory on a small board and time before its gadget can bind, and each crept in
 * unnoticed through a library: the JDK's security providers (a default serial hashed with
 * MessageDigest although a serial was given, JNA's temporary file for its native part), and
 * logback reading its configurator's rank through generated annotation proxies.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartPathIT {
  @TempDir Path tmp;

  @Test
  void thePackagedStartLoadsNoSecurityProvidersNoProxiesAndNoUnpackedJna() throws Exception {
    Path repo = Path.of(System.getProperty("mtpbridge.repo", "")).toRealPath();
    Path store = Files.createDirectories(tmp.resolve("store"));
    Path classes = tmp.resolve("class-load.log");
    // With --serial, as a device whose /etc/mtpd.conf names the gadget's serial (udev-rules/README.md).
    // Without one mtpd derives it from the machine-id with MessageDigest, which sets the providers up.
    List<String> cmd = List.of(repo.resolve("mtp-device/bin/mtpd").toString(), store.toString(), "1");
    Path out = tmp.resolve("out.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("MTPD_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("MTPD_MAIN", "io.mtpbridge.device.StartPathProbe");
    pb.environment().put("MTPD_CLASSPATH_APPEND",
        repo.resolve("mtp-device/target/test-classes") + ":" + repo.resolve("mtp-usb-transport/target/test-classes"));
    pb.environment().put("MTPD_JAVA_OPTS", "-Xlog:class+load:file=" + classes);
    pb.environment().put("MTPD_CDS_DIR", tmp.resolve("cache").toString());
    pb.environment().put("LC_ALL", "C.UTF-8");
    pb.environment().remove("MTPD_JAR");
    Process p = pb.start();
    assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the probe did not end");
    String output = Files.readString(out);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("VmHWM:"), "the probe did not reach its idle report: " + output);

    List<String> loaded = new ArrayList<>();
    for (String line : Files.readAllLines(classes)) {
      int start = line.indexOf("] ");
      int end = line.indexOf(" source:");
      if (start >= 0 && end > start) loaded.add(line.substring(start + 2, end));
    }
    int bound = loaded.indexOf("io.mtpbridge.device.StartPathProbe$Bound");
    assertTrue(bound > 0, "no bound moment in the class-load log");
    List<String> security = loaded.stream()
        .filter(c -> c.startsWith("sun.security.provider.") || c.equals("java.security.MessageDigest") || c.equals("java.security.SecureRandom"))
        .toList();
    assertEquals(List.of(), security, "the JDK's security providers were set up on the start path");
    List<String> proxies = loaded.subList(0, bound).stream().filter(c -> c.startsWith("jdk.proxy") || c.contains(".$Proxy")).toList();
    assertEquals(List.of(), proxies, "proxy classes were generated before the descriptors");
    Path shipped = repo.resolve("mtp-device/target/jna");
    String jnidispatch = output.lines().filter(l -> l.startsWith("jnidispatch.path ")).map(l -> l.substring(17)).findFirst().orElse("null");
    assertTrue(!jnidispatch.equals("null") && Path.of(jnidispatch).toRealPath().startsWith(shipped),
        "JNA did not load its native part from " + shipped + " but from " + jnidispatch);
  }
}
