/* Missed call -> CRM from C: decide one event, then run the CRM sync machine with the HTTP
 * client of your telephony system. Here the "client" is this program's stdin/stdout: each
 * request is printed as one JSON line, and one answer line {"status", "headers", "body"} is
 * read back, so the loop below is what you copy (replace `exchange` with libcurl or your
 * own client, adding your Authorization header).
 *
 *   crm_sync salesforce|hubspot POLICY.json EVENT.json < answers.jsonl */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringback.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* Sends `request` and returns the answer as JSON: here, print it and read a line. */
static int exchange(const rb_string *request, char *answer, size_t cap) {
    printf("%s\n", request->ptr);
    return fgets(answer, (int)cap, stdin) != NULL;
}

static int fail(const char *what, rb_error *err) {
    fprintf(stderr, "%s: %s at %s: %s\n", what, rb_status_str((int)rb_error_code(err)), rb_error_path(err),
            rb_error_message(err));
    rb_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: crm_sync salesforce|hubspot POLICY.json EVENT.json < answers.jsonl\n");
        return 2;
    }
    char *policy = slurp(argv[2]);
    char *event = slurp(argv[3]);
    if (policy == NULL || event == NULL) {
        fprintf(stderr, "cannot read the policy or the event\n");
        return 2;
    }
    rb_error *err = NULL;
    rb_engine *engine = NULL;
    if (rb_engine_new((const uint8_t *)policy, strlen(policy), &engine, &err) != RB_OK) {
        return fail("policy", err);
    }
    /* In production the CRM argument is what the CRM search returned (see ringback crm lookup). */
    rb_string decision = {NULL, 0};
    if (rb_engine_process(engine, (const uint8_t *)event, strlen(event), NULL, 0, &decision, &err) != RB_OK) {
        return fail("event", err);
    }
    rb_crm_sync *sync = NULL;
    if (rb_crm_sync_new((const uint8_t *)argv[1], strlen(argv[1]), (const uint8_t *)decision.ptr, decision.len,
                        NULL, 0, &sync, &err) != RB_OK) {
        return fail("sync", err);
    }
    static char answer[1 << 16];
    for (;;) {
        rb_string request = {NULL, 0};
        if (rb_crm_sync_next(sync, &request, &err) != RB_OK) {
            return fail("next", err);
        }
        if (request.ptr == NULL) {
            break; /* done or failed: see the outcome */
        }
        int got = exchange(&request, answer, sizeof answer);
        rb_string_free(&request);
        if (!got) {
            fprintf(stderr, "no answer: the sync waits (running it again later is safe)\n");
            break;
        }
        if (rb_crm_sync_feed(sync, (const uint8_t *)answer, strlen(answer), &err) != RB_OK) {
            fail("answer", err);
            break;
        }
    }
    rb_string outcome = {NULL, 0};
    if (rb_crm_sync_outcome(sync, &outcome, &err) == RB_OK) {
        printf("%s\n", outcome.ptr);
    }
    rb_string_free(&outcome);
    rb_crm_sync_free(sync);
    rb_string_free(&decision);
    rb_engine_free(engine);
    free(policy);
    free(event);
    return 0;
}
