package io.mtpbridge.usb.functionfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.usb.function.EndpointAbortedException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw-fd I/O and its abort, on a FIFO: like a FunctionFS endpoint whose host went quiet, a
 * read on an empty FIFO blocks in the kernel, interruptibly.
 */
@Timeout(20)
class EndpointFileTest {
  @TempDir Path dir;

  private Path fifo() throws Exception {
    Path p = dir.resolve("ep");
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor());
    return p;
  }

  @Test void abortWakesAReadBlockedInTheKernel() throws Exception {
    ThreadInterrupter.ensureReady();
    try (EndpointFile f = EndpointFile.open(fifo(), LibC.O_RDWR)) {
      AtomicInteger tid = new AtomicInteger();
      CompletableFuture<Integer> read = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try {
          tid.set(KernelThreads.currentTid());
          read.complete(f.read(ByteBuffer.allocateDirect(512)));
        } catch (Exception e) {
          read.completeExceptionally(new RuntimeException(e));
        }
      }, "blocked-reader");
      reader.start();
      // a condition, not a sleep: abort only once the reader sleeps inside read(2), so what is
      // tested is the wake-up of a blocked read (an abort before the read is refused another way)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while ((tid.get() == 0 || !KernelThreads.sleepsInRead(tid.get())) && !read.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertTrue(!read.isDone(), "the read blocks while nothing arrives");
      assertTrue(KernelThreads.sleepsInRead(tid.get()), "the reader is blocked in read(2)");
      f.abort();
      ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause().getCause() instanceof EndpointAbortedException, e.toString());
      // aborted stays aborted until resumed
      assertThrows(EndpointAbortedException.class, () -> f.read(ByteBuffer.allocateDirect(512)));
      f.resume();
      f.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      ByteBuffer got = ByteBuffer.allocateDirect(512);
      assertEquals(3, f.read(got));
      assertEquals(3, got.position());
    }
  }

  @Test void zeroLengthWriteReallyCallsTheKernel() throws Exception {
    try (EndpointFile f = EndpointFile.open(fifo(), LibC.O_RDWR)) {
      assertEquals(0, f.write(ByteBuffer.allocateDirect(0)));
      f.write(ByteBuffer.wrap(new byte[] {9}));
      ByteBuffer got = ByteBuffer.allocate(10);
      assertEquals(1, f.read(got));
      assertEquals(9, got.get(0));
    }
  }

  @Test void openFailureCarriesErrno() {
    NativeIoException e = assertThrows(NativeIoException.class, () -> EndpointFile.open(dir.resolve("missing"), LibC.O_RDWR));
    assertEquals(LibC.ENOENT, e.errno());
  }

  @Test void setupErrorsSayWhatToDo() throws Exception {
    FunctionFsSetupException missing = assertThrows(FunctionFsSetupException.class,
        () -> FunctionFsFunction.open(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    Path file = Files.createFile(dir.resolve("plain"));
    assertTrue(assertThrows(FunctionFsSetupException.class, () -> FunctionFsFunction.open(file)).getMessage().contains("not a directory"));
    FunctionFsSetupException noEp0 = assertThrows(FunctionFsSetupException.class, () -> FunctionFsFunction.open(dir));
    assertTrue(noEp0.getMessage().contains("no ep0"), noEp0.getMessage());
    Files.createFile(dir.resolve("ep0"));
    FunctionFsSetupException notMounted = assertThrows(FunctionFsSetupException.class, () -> FunctionFsFunction.open(dir));
    assertTrue(notMounted.getMessage().contains("is not a FunctionFS mount"), notMounted.getMessage());
  }
}
