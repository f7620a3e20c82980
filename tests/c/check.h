/* A minimal test harness for the C suites: CHECK counts, the summary prints
 * "<suite>: N passed, N failed" and the exit status is non-zero on any failure. */
#ifndef RB_TEST_CHECK_H
#define RB_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringback.h"

static int check_passed = 0;
static int check_failed = 0;

static inline int check_impl(int ok, const char *what, const char *file, int line) {
    if (ok) {
        check_passed++;
    } else {
        check_failed++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
    }
    return ok;
}

#define CHECK(cond) check_impl((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

/* Checks a status and, on a mismatch, prints both names. */
#define CHECK_STATUS(got, want)                                                        \
    do {                                                                               \
        rb_status check_got_ = (got);                                                  \
        if (!check_impl(check_got_ == (want), #got " == " #want, __FILE__, __LINE__)) \
            fprintf(stderr, "     got %s, want %s\n", rb_status_str((int)check_got_),  \
                    rb_status_str((int)(want)));                                       \
    } while (0)

/* Checks two C strings for equality and prints both on a mismatch. */
#define CHECK_STR(got, want)                                                              \
    do {                                                                                  \
        const char *check_g_ = (got);                                                     \
        const char *check_w_ = (want);                                                    \
        int check_ok_ = check_g_ != NULL && check_w_ != NULL && strcmp(check_g_, check_w_) == 0; \
        if (!check_impl(check_ok_, #got " == " #want, __FILE__, __LINE__))               \
            fprintf(stderr, "     got \"%s\", want \"%s\"\n", check_g_ ? check_g_ : "(null)", \
                    check_w_ ? check_w_ : "(null)");                                      \
    } while (0)

static inline int check_summary(const char *suite) {
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed == 0 && check_passed > 0 ? 0 : 1;
}

/* Reads a whole file into a NUL-terminated malloc'd buffer; NULL on error. */
static inline char *read_file(const char *path, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) {
            break;
        }
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf == NULL) {
        return NULL;
    }
    buf[len] = '\0';
    if (len_out != NULL) {
        *len_out = len;
    }
    return buf;
}

/* `text` as the (pointer, length) pair the API takes. */
#define RB_TEXT(text) (const uint8_t *)(text), strlen(text)

#endif /* RB_TEST_CHECK_H */
