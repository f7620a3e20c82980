/* Decide one missed call from C: reads a policy, an event and (optionally) a CRM snapshot
 * from files, prints the decision JSON on stdout.
 *
 *   cc -std=c11 -Iinclude examples/c/decide.c -Ltarget/release -lringback -o decide
 *   LD_LIBRARY_PATH=target/release ./decide examples/c/policy.json examples/c/event.json examples/c/crm.json
 *
 * On an error it prints the stable code, the JSON path and the message, and exits with 1. */
#include <stdio.h>
#include <stdlib.h>

#include "ringback.h"

/* Reads a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 8192;
            char *grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        if (n == 0) {
            break;
        }
        *len += n;
    }
    fclose(f);
    return buf; /* not NUL-terminated: the API takes (pointer, length) */
}

/* Prints an error and frees it. */
static void report(const char *what, rb_status status, rb_error *err) {
    fprintf(stderr, "%s: %s at `%s`: %s\n", what, rb_status_str((int)status), rb_error_path(err),
            rb_error_message(err));
    rb_error_free(err);
}

/* Compiles the policy, decides the event, prints the decision. Returns the exit code. */
static int decide(const char *policy, size_t policy_len, const char *event, size_t event_len,
                  const char *crm, size_t crm_len) {
    /* Compile the policy once (in a server: at startup, shared by every thread). */
    rb_engine *engine = NULL;
    rb_error *err = NULL;
    rb_status st = rb_engine_new((const uint8_t *)policy, policy_len, &engine, &err);
    if (st != RB_OK) {
        report("policy", st, err);
        return 1;
    }

    /* Decide the call. The decision is library-owned: rb_string_free, never free(). */
    rb_string decision = {NULL, 0};
    st = rb_engine_process(engine, (const uint8_t *)event, event_len, (const uint8_t *)crm, crm_len,
                           &decision, &err);
    int code = 1;
    if (st == RB_OK) {
        printf("%.*s\n", (int)decision.len, decision.ptr);
        rb_string_free(&decision);
        code = 0;
    } else {
        report("event", st, err);
    }
    rb_engine_free(engine);
    return code;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s POLICY EVENT [CRM]\n", argv[0]);
        return 2;
    }
    size_t policy_len = 0, event_len = 0, crm_len = 0;
    char *policy = slurp(argv[1], &policy_len);
    char *event = slurp(argv[2], &event_len);
    char *crm = argc == 4 ? slurp(argv[3], &crm_len) : NULL; /* NULL, 0: no CRM */
    int code = 1;
    if (policy != NULL && event != NULL && (argc == 3 || crm != NULL)) {
        code = decide(policy, policy_len, event, event_len, crm, crm_len);
    }
    free(policy);
    free(event);
    free(crm);
    return code;
}
