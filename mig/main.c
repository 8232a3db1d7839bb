/* SPDX-License-Identifier: MIT */
/*
 * main.c: the mig command.
 *
 *   mig [-user F] [-header F] [-server F] [-sheader F] [-I dir] [-D sym[=v]]
 *       [-U sym] file.defs
 *
 * Runs the C preprocessor (cpp, or $MIGCPP) on the .defs file, parses the
 * result (the SDK's include directory, <mig's directory>/../include, is
 * searched after every -I, so an installed mig finds <mach/std_types.defs>), and writes the user
 * stubs (default <subsystem>User.c), the user header (<subsystem>.h), the server stubs
 * (<subsystem>Server.c) and, if -sheader is given, the server header.  Exits 0 on success, 1 after
 * a diagnostic, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mig.h"

struct options {
    const char *user, *header, *server, *sheader;
    const char *cpp_args[256];
    int ncpp;
    const char *input;
    bool quiet;
};

static _Noreturn void
usage(const char *why)
{
    fprintf(stderr,
            "mig: %s\nusage: mig [-user F] [-header F] [-server F] [-sheader F] "
            "[-I dir] [-D sym[=val]] [-U sym] file.defs\n",
            why);
    exit(2);
}

static void
add_cpp(struct options *opt, const char *a)
{
    if (opt->ncpp >= 250)
        usage("too many preprocessor options");
    opt->cpp_args[opt->ncpp++] = a;
}

/* Options that take the next word as their value; false if ARG is not one. */
static bool
file_option(struct options *opt, const char *arg, const char *val)
{
    static const char *const names[] = {"-user", "-header", "-server", "-sheader"};
    const char **dest[] = {&opt->user, &opt->header, &opt->server, &opt->sheader};

    for (int i = 0; i < 4; i++) {
        if (strcmp(arg, names[i]) == 0) {
            if (val == NULL)
                usage(mig_format("%s needs a file name", arg));
            *dest[i] = val;
            return true;
        }
    }
    return false;
}

static void
parse_args(struct options *opt, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (file_option(opt, a, next)) {
            i++;
        } else if ((strcmp(a, "-I") == 0 || strcmp(a, "-D") == 0 || strcmp(a, "-U") == 0)) {
            if (next == NULL)
                usage(mig_format("%s needs an argument", a));
            add_cpp(opt, mig_format("%s%s", a, next));
            i++;
        } else if (strncmp(a, "-I", 2) == 0 || strncmp(a, "-D", 2) == 0 ||
                   strncmp(a, "-U", 2) == 0) {
            add_cpp(opt, a);
        } else if (strcmp(a, "-q") == 0) {
            opt->quiet = true;
        } else if (strcmp(a, "-Q") == 0 || strcmp(a, "-v") == 0 || strcmp(a, "-r") == 0 ||
                   strcmp(a, "-R") == 0 || strcmp(a, "-s") == 0 || strcmp(a, "-S") == 0) {
            /* GNU MIG options with no effect here (verbosity, symbol tables, rpc). */
        } else if (a[0] == '-' && a[1] != '\0') {
            usage(mig_format("unknown option '%s'", a));
        } else if (opt->input != NULL) {
            usage("only one .defs file may be given");
        } else {
            opt->input = a;
        }
    }
    if (opt->input == NULL)
        usage("no .defs file given");
}

/* The SDK's include directory beside this mig (bin/../include), or NULL if
 * mig does not run from an SDK. */
static const char *
sdk_include(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *slash;

    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0';
    const char *dir = mig_format("%s/../include", exe);
    if (access(mig_format("%s/mach/std_types.defs", dir), R_OK) != 0)
        return NULL;
    return mig_format("-I%s", dir);
}

/* Run the preprocessor on the input; returns its output (arena) or NULL. */
static char *
preprocess(const struct options *opt, size_t *len)
{
    const char *cpp = getenv("MIGCPP") ? getenv("MIGCPP") : "cpp";
    const char *argv[270];
    int n = 0, fds[2], status;
    size_t cap = 65536, used = 0;
    char *buf;
    pid_t pid;

    argv[n++] = cpp;
    for (int i = 0; i < opt->ncpp; i++)
        argv[n++] = opt->cpp_args[i];
    if (sdk_include() != NULL)
        argv[n++] = sdk_include();
    argv[n++] = opt->input;
    argv[n] = NULL;
    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        fprintf(stderr, "mig: cannot run %s: %s\n", cpp, strerror(errno));
        return NULL;
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execvp(cpp, (char *const *)argv);
        fprintf(stderr, "mig: cannot run %s: %s\n", cpp, strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    buf = malloc(cap);
    for (ssize_t got; buf != NULL && (got = read(fds[0], buf + used, cap - used)) != 0;) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            break;
        used += (size_t)got;
        if (used == cap)
            buf = realloc(buf, cap *= 2);
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (buf == NULL || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "mig: the C preprocessor failed on %s\n", opt->input);
        free(buf);
        return NULL;
    }
    *len = used;
    char *text = mig_strndup(buf, used);
    free(buf);
    return text;
}

static const char *
basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Write one output file with WRITE; false (and a message) on failure. */
static bool
write_file(const char *path, struct mig_out *o, void (*write)(struct mig_out *))
{
    o->f = fopen(path, "w");
    if (o->f == NULL) {
        fprintf(stderr, "mig: cannot create %s: %s\n", path, strerror(errno));
        return false;
    }
    write(o);
    if (ferror(o->f) | (fclose(o->f) != 0)) {
        fprintf(stderr, "mig: error writing %s\n", path);
        return false;
    }
    return true;
}

static const char *user_header_name;

static void
write_user_file(struct mig_out *o)
{
    mig_write_user(o, user_header_name);
}

int
main(int argc, char **argv)
{
    struct options opt;
    struct mig_subsystem ss;
    struct mig_out o;
    size_t len = 0;
    char *text;
    bool ok;

    memset(&opt, 0, sizeof(opt));
    parse_args(&opt, argc, argv);
    mig_diag_reset(false);
    text = preprocess(&opt, &len);
    if (text == NULL)
        return 1;
    if (!mig_parse(text, len, opt.input, &ss))
        return 1;
    o.ss = &ss;
    o.defs_file = basename_of(opt.input);
    if (opt.header == NULL)
        opt.header = mig_format("%s.h", ss.name);
    if (opt.user == NULL)
        opt.user = mig_format("%sUser.c", ss.name);
    if (opt.server == NULL)
        opt.server = mig_format("%sServer.c", ss.name);
    user_header_name = strcmp(opt.header, "/dev/null") == 0 ? NULL : basename_of(opt.header);
    ok = write_file(opt.header, &o, mig_write_user_header) &&
         write_file(opt.user, &o, write_user_file) &&
         write_file(opt.server, &o, mig_write_server) &&
         (opt.sheader == NULL || write_file(opt.sheader, &o, mig_write_server_header));
    mig_free_all();
    return ok ? 0 : 1;
}
