package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.StoredSet;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove old sets, keeping the newest N and every set a kept set needs to be restored.")
final class PruneCommand extends BaseCommand {
  @Mixin RepoOptions repoOptions;

  @Option(names = "--keep", paramLabel = "N", required = true, description = "how many of the newest sets to keep (at least 1)")
  int keep;

  @Override
  public Integer call() throws IOException {
    if (keep < 1) throw CliException.usage("--keep must be at least 1 (to remove every set, delete the repository folder)");
    BackupRepository repo = repoOptions.offline(env(), root.device);
    List<StoredSet> removed = repo.prune(keep);
    if (json()) {
      JsonGenerator g = jsonOut();
      g.writeStartArray();
      for (StoredSet s : removed) g.writeString(s.id());
      g.writeEndArray();
      endJson(g);
      return OK;
    }
    for (StoredSet s : removed) {
      if (quiet()) out().println(s.id());
      else out().println("removed " + s.id() + "  " + s.type() + "  " + s.created());
    }
    say(removed.isEmpty() ? "Nothing to remove." : "Removed " + removed.size() + (removed.size() == 1 ? " set." : " sets."));
    return OK;
  }
}
