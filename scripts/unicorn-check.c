/*
 * unicorn-check: report the version of a Unicorn shared library and check
 * that it really works on this machine.
 *
 * Built by scripts/setup.sh into $SEL4SIM_CACHE/native/unicorn-check with
 *     gcc -O2 -o unicorn-check unicorn-check.c -ldl
 *
 * Usage: unicorn-check /absolute/path/to/libunicorn.so.2
 *
 * The library is opened with dlopen(), so no Unicorn header or -dev package
 * is needed, and every dependency of the library must resolve on this machine
 * (RTLD_NOW binds all symbols at once: a libc that is too old fails here, not
 * later inside the JVM).  Then:
 *   - uc_version() gives the version.  Unicorn 2 returns
 *     (major << 24) | (minor << 16) | (patch << 8) | extra
 *     and fills *major and *minor;
 *   - uc_open()/uc_close() are called for AArch64 and for x86 (32-bit), the
 *     two architectures sel4sim runs guests for, so a library built without
 *     one of them is refused.
 *
 * Output on success (exit 0), one line on stdout:  MAJOR.MINOR.PATCH
 * Errors go to stderr; exit 2 = cannot load, 3 = not a Unicorn library,
 * 4 = an engine cannot be created, 1 = usage.
 */
#include <dlfcn.h>
#include <stdio.h>

/* Values of Unicorn 2's public enums that this check needs (unicorn.h). */
enum { ARCH_ARM64 = 2, ARCH_X86 = 4 };
enum { MODE_LITTLE_ENDIAN = 0, MODE_32 = 1 << 2 };

typedef unsigned int (*version_fn)(unsigned int *major, unsigned int *minor);
typedef int (*open_fn)(int arch, int mode, void **engine);
typedef int (*close_fn)(void *engine);
typedef const char *(*strerror_fn)(int code);

static int try_engine(open_fn uc_open, close_fn uc_close, strerror_fn uc_strerror,
                      int arch, int mode, const char *name)
{
    void *engine = NULL;
    int err = uc_open(arch, mode, &engine);
    if (err != 0 || engine == NULL) {
        fprintf(stderr, "unicorn-check: uc_open(%s) failed: %s (error %d)\n",
                name, uc_strerror ? uc_strerror(err) : "?", err);
        return 0;
    }
    uc_close(engine);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s /path/to/libunicorn.so.2\n", argv[0]);
        return 1;
    }

    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "unicorn-check: cannot load %s: %s\n", argv[1], dlerror());
        return 2;
    }

    version_fn uc_version = (version_fn) dlsym(lib, "uc_version");
    open_fn uc_open = (open_fn) dlsym(lib, "uc_open");
    close_fn uc_close = (close_fn) dlsym(lib, "uc_close");
    strerror_fn uc_strerror = (strerror_fn) dlsym(lib, "uc_strerror");
    if (uc_version == NULL || uc_open == NULL || uc_close == NULL) {
        fprintf(stderr, "unicorn-check: %s lacks uc_version/uc_open/uc_close\n", argv[1]);
        return 3;
    }

    unsigned int major = 0, minor = 0;
    unsigned int packed = uc_version(&major, &minor);

    if (!try_engine(uc_open, uc_close, uc_strerror, ARCH_ARM64, MODE_LITTLE_ENDIAN, "arm64")
        || !try_engine(uc_open, uc_close, uc_strerror, ARCH_X86, MODE_32, "x86-32")) {
        return 4;
    }

    if (((packed >> 24) & 0xff) == major && ((packed >> 16) & 0xff) == minor) {
        printf("%u.%u.%u\n", major, minor, (packed >> 8) & 0xff);
    } else {
        /* Unicorn 1 packs only (major << 8) | minor: no patch level. */
        printf("%u.%u.0\n", major, minor);
    }
    return 0;
}
