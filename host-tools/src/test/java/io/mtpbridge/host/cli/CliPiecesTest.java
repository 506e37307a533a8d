package io.mtpbridge.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.host.files.RemoteFiles;
import io.mtpbridge.host.files.RemoteNotFoundException;
import io.mtpbridge.host.link.AttachedDevice;
import io.mtpbridge.host.link.InitiatorLink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliPiecesTest {
  private static AttachedDevice device(String busAddress, String serial) {
    return new AttachedDevice() {
      @Override public String busAddress() { return busAddress; }
      @Override public int vendorId() { return 0x1209; }
      @Override public int productId() { return 0x000c; }
      @Override public String manufacturer() { return "Acme"; }
      @Override public String product() { return "Phone"; }
      @Override public String serial() { return serial; }
      @Override public InitiatorLink open() { throw new UnsupportedOperationException(); }
    };
  }

  @Test void devicesAreChosenBySerialOrBusAddress() {
    AttachedDevice a = device("003-002", "SER-A");
    AttachedDevice b = device("003-017", "SER-B");
    assertEquals(b, Connection.choose(List.of(a, b), "SER-B"));
    assertEquals(b, Connection.choose(List.of(a, b), "3-17"));
    assertEquals(b, Connection.choose(List.of(a, b), "003:017"));
    assertEquals(a, Connection.choose(List.of(a), null));
    CliException several = assertThrows(CliException.class, () -> Connection.choose(List.of(a, b), null));
    assertEquals(2, several.exitStatus());
    assertTrue(several.getMessage().contains("SER-A") && several.getMessage().contains("003-017 Acme Phone serial SER-B"), several.getMessage());
    assertTrue(assertThrows(CliException.class, () -> Connection.choose(List.of(), null)).getMessage().contains("no MTP device found"));
    assertTrue(assertThrows(CliException.class, () -> Connection.choose(List.of(a), "3-3")).getMessage().contains("connected: 003-002"));
    assertFalse(Connection.matches(device("003-002", ""), ""));
  }

  @Test void remotePaths() throws Exception {
    assertEquals(List.of(), RemoteFiles.segments("/"));
    assertEquals(List.of("Internal storage", "a", "b.txt"), RemoteFiles.segments("/Internal storage//a/b.txt/"));
    assertEquals("/Internal/a", RemoteFiles.parentPath("/Internal/a/b.txt"));
    assertEquals("/", RemoteFiles.parentPath("/Internal"));
    assertEquals("b.txt", RemoteFiles.lastName("/Internal/a/b.txt"));
    assertThrows(RemoteNotFoundException.class, () -> RemoteFiles.segments("/Internal/../etc"));
  }

  @Test void progressIsOneLineAndOnlyWhenEnabled() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), true);
    bar.start("/Internal/big.bin", 10L << 20);
    bar.advance(5L << 20);
    bar.note("org.example.notes (1/2)");
    bar.end();
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("5.0 MiB / 10.0 MiB  50%") && text.contains("org.example.notes (1/2)") && text.endsWith("\n"), text);
    assertTrue(text.lines().allMatch(l -> l.replace("\r", "").length() <= 80 || l.contains("\r")), text);
    ByteArrayOutputStream none = new ByteArrayOutputStream();
    ProgressBar off = new ProgressBar(new PrintStream(none, true, StandardCharsets.UTF_8), false);
    off.start("x", 10);
    off.advance(5);
    off.end();
    assertEquals(0, none.size());
    assertEquals("1.5 KiB", ProgressBar.bytes(1536));
    assertEquals("999 B", ProgressBar.bytes(999));
  }

  @Test void theCommandTableNamesEachCommandAsItsAnnotationDoes() {
    for (var e : MtpBridge.COMMANDS.entrySet()) {
      assertEquals(e.getKey(), e.getValue().getAnnotation(picocli.CommandLine.Command.class).name());
    }
    assertEquals(13, MtpBridge.COMMANDS.size());
  }

  @Test void onlyTheNamedCommandsAreRegisteredUnlessHelpOrNothingIsAsked() {
    assertEquals(List.of(GetCommand.class), List.copyOf(MtpBridge.commandsFor(new String[] {"--device", "X", "get", "/a", "b"})));
    // a value that happens to be a command name costs one more registration, nothing else
    assertEquals(List.of(LsCommand.class, GetCommand.class), List.copyOf(MtpBridge.commandsFor(new String[] {"ls", "get"})));
    assertEquals(13, MtpBridge.commandsFor(new String[] {"--help", "get"}).size());
    assertEquals(13, MtpBridge.commandsFor(new String[] {"-V"}).size());
    assertEquals(13, MtpBridge.commandsFor(new String[] {"lss"}).size());
    assertEquals(13, MtpBridge.commandsFor(new String[0]).size());
  }

  @Test void everyCommandHasHelpAndTheUsageErrorsPointToIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Environment env = new Environment(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        () -> { throw new java.io.IOException("no devices in this test"); }, false, java.nio.file.Path.of("/nonexistent"),
        java.time.ZoneId.of("UTC"), new io.mtpbridge.host.Cancellation());
    assertEquals(2, MtpBridge.run(new String[] {"get", "--nosuch"}, env));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("mtpbridge get --help"), err.toString(StandardCharsets.UTF_8));
    assertEquals(0, MtpBridge.run(new String[] {"get", "--help"}, env));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: mtpbridge get"), out.toString(StandardCharsets.UTF_8));
  }
}
