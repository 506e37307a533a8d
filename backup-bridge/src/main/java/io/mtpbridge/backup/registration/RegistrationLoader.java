package io.mtpbridge.backup.registration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads every {@code *.xml} file of the registration directory. A bad file is reported (file, line,
 * reason) and its owner left out; the others still load, because one broken package must not
 * disable backups of everything else.
 */
public final class RegistrationLoader {
  private static final long MAX_FILE = 256 * 1024;

  private RegistrationLoader() {}

  public record Result(List<Registration> registrations, List<RegistrationException> problems) {
    public Result {
      registrations = List.copyOf(registrations);
      problems = List.copyOf(problems);
    }
  }

  public static Result load(Path directory, Set<String> knownVolumes) throws IOException {
    RegistrationParser parser = new RegistrationParser(knownVolumes);
    TreeSet<Path> files = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "*.xml")) {
      for (Path p : ds) files.add(p);
    }
    List<Registration> ok = new ArrayList<>();
    List<RegistrationException> problems = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    for (Path file : files) {
      try {
        if (!Files.isRegularFile(file)) throw new RegistrationException(file, 0, "not a regular file");
        if (Files.size(file) > MAX_FILE) throw new RegistrationException(file, 0, "larger than " + MAX_FILE + " bytes");
        Registration r;
        try (InputStream in = Files.newInputStream(file)) {
          r = parser.parse(file, in);
        }
        Path first = seen.putIfAbsent(r.ownerId(), file);
        if (first != null) throw new RegistrationException(file, 0, "owner '" + r.ownerId() + "' is already registered by " + first);
        ok.add(r);
      } catch (RegistrationException e) {
        problems.add(e);
      } catch (IOException e) {
        problems.add(new RegistrationException(file, 0, "cannot read: " + e.getMessage()));
      }
    }
    return new Result(ok, problems);
  }
}
