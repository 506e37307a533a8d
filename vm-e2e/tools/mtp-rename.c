/*
 * mtp-rename: renames one object on the first MTP device through libmtp.
 *
 * libmtp's packaged tools cannot rename, yet file managers do it all the time
 * (gvfs, Windows). LIBMTP_Set_File_Name sends SetObjectPropValue(ObjectFileName)
 * (or SetObjectPropList when the device advertises it), so this proves the
 * responder's property path the way real hosts use it.
 *
 * Usage: mtp-rename <object id> <new name>
 * Exit codes: 0 renamed and read back, 1 usage, 2 no device, 3 no such object,
 *             4 the device refused the rename, 5 the name read back differs.
 */
#include <libmtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

static void dump_errors(LIBMTP_mtpdevice_t *device)
{
    LIBMTP_Dump_Errorstack(device);
    LIBMTP_Clear_Errorstack(device);
}

static int parse_id(const char *text, uint32_t *id)
{
    char *end = NULL;
    errno = 0;
    unsigned long value = strtoul(text, &end, 0);
    if (errno != 0 || end == text || *end != '\0' || value == 0 || value > 0xFFFFFFFEUL) {
        return -1;
    }
    *id = (uint32_t) value;
    return 0;
}

int main(int argc, char **argv)
{
    uint32_t id;
    if (argc != 3 || parse_id(argv[1], &id) != 0 || argv[2][0] == '\0') {
        fprintf(stderr, "usage: mtp-rename <object id> <new name>\n"
                        "  the object id is the 'File ID' that mtp-files prints\n");
        return 1;
    }
    const char *new_name = argv[2];

    LIBMTP_Init();
    LIBMTP_mtpdevice_t *device = LIBMTP_Get_First_Device();
    if (device == NULL) {
        fprintf(stderr, "mtp-rename: no MTP device found (is it attached and not claimed by gvfs?)\n");
        return 2;
    }

    int status = 0;
    LIBMTP_file_t *file = LIBMTP_Get_Filemetadata(device, id);
    if (file == NULL) {
        fprintf(stderr, "mtp-rename: object %u not found on the device\n", id);
        dump_errors(device);
        status = 3;
        goto out;
    }
    printf("renaming object %u from '%s' to '%s'\n", id, file->filename ? file->filename : "", new_name);

    if (LIBMTP_Set_File_Name(device, file, new_name) != 0) {
        fprintf(stderr, "mtp-rename: the device refused to rename object %u\n", id);
        dump_errors(device);
        status = 4;
        goto out_file;
    }

    /* Read the name back from the device instead of trusting the cached struct. */
    LIBMTP_file_t *reread = LIBMTP_Get_Filemetadata(device, id);
    if (reread == NULL || reread->filename == NULL || strcmp(reread->filename, new_name) != 0) {
        fprintf(stderr, "mtp-rename: object %u reads back as '%s', expected '%s'\n", id,
                reread && reread->filename ? reread->filename : "(none)", new_name);
        status = 5;
    } else {
        printf("object %u is now '%s'\n", id, reread->filename);
    }
    if (reread != NULL) {
        LIBMTP_destroy_file_t(reread);
    }

out_file:
    LIBMTP_destroy_file_t(file);
out:
    LIBMTP_Release_Device(device);
    return status;
}
