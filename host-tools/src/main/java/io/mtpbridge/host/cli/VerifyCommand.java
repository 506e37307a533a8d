package io.mtpbridge.host.cli;

import io.mtpbridge.host.backup.HostBackup;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.StoredSet;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = "Re-hash the local archives against their manifests and check that every chain"
    + " is complete (SET and the sets it needs, or every set). Exit 1 names the first bad stream or missing parent.")
final class VerifyCommand extends BaseCommand {
  @Mixin RepoOptions repoOptions;

  @Parameters(arity = "0..1", paramLabel = "SET", description = "a set id (or a unique prefix of it); default every set")
  String set;

  @Override
  public Integer call() throws IOException {
    BackupRepository repo = repoOptions.offline(env(), root.device);
    List<StoredSet> all = repo.sets();
    if (!repo.problems().isEmpty()) throw new CliException("not a readable set in " + repo.folder() + ": " + repo.problems().get(0));
    Set<StoredSet> todo = new LinkedHashSet<>();
    if (set != null) {
      todo.addAll(repo.chain(repo.find(set)));
    } else {
      for (StoredSet s : all) todo.addAll(BackupRepository.chain(s, all)); // one listing: not one per set
    }
    if (todo.isEmpty()) {
      say("No backup sets in " + repo.folder() + " to verify.");
      return OK;
    }
    HostBackup checker = new HostBackup(null, env().cancellation(), new BackupProgress(progress()));
    for (StoredSet s : todo) {
      checker.verifyLocal(s);
      say("ok  " + s.id() + "  " + s.type() + "  " + s.streams() + " streams");
    }
    say("All " + todo.size() + (todo.size() == 1 ? " set" : " sets") + " verified; every chain is complete.");
    return OK;
  }
}
