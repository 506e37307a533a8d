/*
 * mtp-roundtrip: in ONE libmtp session, lists the device, fetches every object named g-* into
 * DLDIR, and sends SRCDIR/s-<SIZE>.bin as u-<SIZE>.dat (format Undefined, so the device's
 * .bin-as-firmware mapping does not matter) for every SIZE given. The caller compares the files.
 *
 * Usage: mtp-roundtrip DLDIR SRCDIR SIZE...
 * Exit codes: 0 all transfers succeeded, 1 usage, 2 no device, 3 some transfer failed.
 * Build: gcc -O2 -Wall -o mtp-roundtrip mtp-roundtrip.c $(pkg-config --cflags --libs libmtp)
 */
#include <libmtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: mtp-roundtrip DLDIR SRCDIR SIZE...\n");
    return 1;
  }
  LIBMTP_Init();
  LIBMTP_mtpdevice_t *d = LIBMTP_Get_First_Device();
  if (!d) { fprintf(stderr, "no device\n"); return 2; }
  LIBMTP_file_t *files = LIBMTP_Get_Filelisting_With_Callback(d, NULL, NULL);
  int bad = 0;
  for (LIBMTP_file_t *f = files; f; f = f->next) {
    if (strncmp(f->filename, "g-", 2) != 0) continue;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", argv[1], f->filename);
    int r = LIBMTP_Get_File_To_File(d, f->item_id, path, NULL, NULL);
    printf("GET %s id=%u size=%llu -> %s\n", f->filename, f->item_id, (unsigned long long) f->filesize, r == 0 ? "ok" : "FAILED");
    if (r) { LIBMTP_Dump_Errorstack(d); LIBMTP_Clear_Errorstack(d); bad++; }
  }
  for (int i = 3; i < argc; i++) {
    char src[512], name[64];
    snprintf(src, sizeof src, "%s/s-%s.bin", argv[2], argv[i]);
    snprintf(name, sizeof name, "u-%s.dat", argv[i]);
    struct stat st;
    if (stat(src, &st)) { perror(src); bad++; continue; }
    LIBMTP_file_t *nf = LIBMTP_new_file_t();
    nf->filename = strdup(name);
    nf->filesize = st.st_size;
    nf->filetype = LIBMTP_FILETYPE_UNKNOWN;
    nf->parent_id = 0;
    nf->storage_id = 0;
    int r = LIBMTP_Send_File_From_File(d, src, nf, NULL, NULL);
    printf("SEND %s size=%lld -> %s id=%u\n", name, (long long) st.st_size, r == 0 ? "ok" : "FAILED", nf->item_id);
    if (r) { LIBMTP_Dump_Errorstack(d); LIBMTP_Clear_Errorstack(d); bad++; }
    LIBMTP_destroy_file_t(nf);
  }
  LIBMTP_Release_Device(d);
  return bad ? 3 : 0;
}
