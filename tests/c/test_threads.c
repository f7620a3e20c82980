/* Eight threads share one engine and one CRM index and decide the whole demo week, each
 * starting at a different event; every result must equal the single-threaded reference
 * byte for byte. Even threads go through the index, odd ones through rb_engine_process.
 *
 * usage: test_threads <demo dir> */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>

#include "check.h"

#define THREADS 8
#define MAX_EVENTS 4096

struct shared {
    const rb_engine *engine;
    const rb_crm_index *index;
    char *lines[MAX_EVENTS];
    size_t count;
    char *want_indexed[MAX_EVENTS];
    char *want_plain[MAX_EVENTS];
};

struct worker {
    const struct shared *s;
    int id;
    size_t checked;
    size_t mismatched;
};

static void *run(void *arg) {
    struct worker *w = arg;
    const struct shared *s = w->s;
    for (size_t k = 0; k < s->count; k++) {
        size_t i = (k + (size_t)w->id * s->count / THREADS) % s->count;
        rb_string out = {NULL, 0};
        rb_status st;
        const char *want;
        if (w->id % 2 == 0) {
            st = rb_engine_process_indexed(s->engine, s->index, RB_TEXT(s->lines[i]), &out, NULL);
            want = s->want_indexed[i];
        } else {
            st = rb_engine_process(s->engine, RB_TEXT(s->lines[i]), NULL, 0, &out, NULL);
            want = s->want_plain[i];
        }
        w->checked++;
        if (st != RB_OK || out.ptr == NULL || strcmp(out.ptr, want) != 0) {
            w->mismatched++;
        }
        rb_string_free(&out);
    }
    return NULL;
}

/* Decides every event once on this thread: the reference. */
static int reference(struct shared *s) {
    for (size_t i = 0; i < s->count; i++) {
        rb_string a = {NULL, 0}, b = {NULL, 0};
        rb_error *err = NULL;
        rb_status st = rb_engine_process_indexed(s->engine, s->index, RB_TEXT(s->lines[i]), &a, &err);
        if (st == RB_OK) {
            st = rb_engine_process(s->engine, RB_TEXT(s->lines[i]), NULL, 0, &b, &err);
        }
        if (!CHECK(st == RB_OK)) {
            fprintf(stderr, "     event %zu: %s: %s\n", i, rb_status_str((int)st), rb_error_message(err));
            rb_error_free(err);
            rb_string_free(&a);
            return 0;
        }
        /* Keep copies owned by the test (malloc), the library's strings freed. */
        s->want_indexed[i] = malloc(a.len + 1);
        s->want_plain[i] = malloc(b.len + 1);
        if (s->want_indexed[i] == NULL || s->want_plain[i] == NULL) {
            rb_string_free(&a);
            rb_string_free(&b);
            return 0;
        }
        memcpy(s->want_indexed[i], a.ptr, a.len + 1);
        memcpy(s->want_plain[i], b.ptr, b.len + 1);
        rb_string_free(&a);
        rb_string_free(&b);
    }
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <demo dir>\n", argv[0]);
        return 2;
    }
    char path[1024];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/policy.json", argv[1]);
    char *policy = read_file(path, &len);
    snprintf(path, sizeof path, "%s/crm.json", argv[1]);
    size_t crm_len = 0;
    char *crm = read_file(path, &crm_len);
    snprintf(path, sizeof path, "%s/events.jsonl", argv[1]);
    char *events = read_file(path, NULL);
    if (!CHECK(policy && crm && events)) {
        return check_summary("test_threads");
    }

    static struct shared s;
    rb_engine *engine = NULL;
    rb_crm_index *index = NULL;
    CHECK_STATUS(rb_engine_new((const uint8_t *)policy, len, &engine, NULL), RB_OK);
    CHECK_STATUS(rb_crm_index_new(engine, (const uint8_t *)crm, crm_len, &index, NULL), RB_OK);
    s.engine = engine;
    s.index = index;
    for (char *line = strtok(events, "\n"); line != NULL && s.count < MAX_EVENTS; line = strtok(NULL, "\n")) {
        s.lines[s.count++] = line;
    }
    CHECK(s.count >= 100);

    /* The index and a full snapshot give the same decision (a few events: the snapshot
     * is scanned per call). */
    for (size_t i = 0; i < s.count && i < 3; i++) {
        rb_string a = {NULL, 0}, b = {NULL, 0};
        CHECK_STATUS(rb_engine_process_indexed(engine, index, RB_TEXT(s.lines[i]), &a, NULL), RB_OK);
        CHECK_STATUS(rb_engine_process(engine, RB_TEXT(s.lines[i]), (const uint8_t *)crm, crm_len, &b, NULL),
                     RB_OK);
        CHECK(a.ptr && b.ptr && strcmp(a.ptr, b.ptr) == 0);
        rb_string_free(&a);
        rb_string_free(&b);
    }

    if (engine && index && reference(&s)) {
        pthread_t threads[THREADS];
        struct worker workers[THREADS];
        int started = 0;
        for (int t = 0; t < THREADS; t++) {
            workers[t] = (struct worker){&s, t, 0, 0};
            if (CHECK(pthread_create(&threads[t], NULL, run, &workers[t]) == 0)) {
                started++;
            }
        }
        for (int t = 0; t < started; t++) {
            CHECK(pthread_join(threads[t], NULL) == 0);
        }
        size_t checked = 0;
        for (int t = 0; t < started; t++) {
            CHECK(workers[t].checked == s.count);
            if (!CHECK(workers[t].mismatched == 0)) {
                fprintf(stderr, "     thread %d: %zu of %zu results differ\n", t, workers[t].mismatched,
                        workers[t].checked);
            }
            checked += workers[t].checked;
        }
        CHECK(started == THREADS);
        printf("test_threads: %d threads, %zu decisions checked against the reference\n", started, checked);
    }

    for (size_t i = 0; i < s.count; i++) {
        free(s.want_indexed[i]);
        free(s.want_plain[i]);
    }
    rb_crm_index_free(index);
    rb_engine_free(engine);
    free(policy);
    free(crm);
    free(events);
    return check_summary("test_threads");
}
