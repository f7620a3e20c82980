/* Runs the language-neutral corpus (every .json file in tests/corpus/) through the C API, with the
 * semantics of core/tests/corpus.rs: a case holds a policy (inline, or a name under
 * policies/), an event (object, or raw text in `event_text`), an optional CRM (`crm` or
 * `crm_text`), and either `expect` (a partial decision: objects match on the keys given,
 * arrays element by element and in full length, everything else by equality) plus
 * optional `expect_trace` entries that must appear in the trace, or `expect_error`
 * (`code`, and `path` when given). JSON is read with the vendored cJSON.
 *
 * usage: test_corpus <corpus dir> */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>

#include "cJSON.h"
#include "check.h"

/* Appends a line to the case's failure report. */
static void note(char **report, const char *fmt, const char *a, const char *b, const char *c) {
    char line[2048];
    snprintf(line, sizeof line, fmt, a, b, c);
    size_t old = *report ? strlen(*report) : 0;
    char *grown = realloc(*report, old + strlen(line) + 4);
    if (grown == NULL) {
        return;
    }
    memcpy(grown + old, "\n  ", 3);
    strcpy(grown + old + 3, line);
    *report = grown;
}

/* Whether `actual` matches the partial `expected` (equality of leaves is cJSON_Compare:
 * JSON numbers compare as doubles). */
static void partial_match(const cJSON *expected, const cJSON *actual, const char *path, char **report) {
    char sub[1024];
    if (cJSON_IsObject(expected) && cJSON_IsObject(actual)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, expected) {
            snprintf(sub, sizeof sub, "%s.%s", path, e->string);
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(actual, e->string);
            if (a == NULL) {
                /* An optional field is left out when null, false or empty. */
                if (cJSON_IsNull(e) || cJSON_IsFalse(e) || (cJSON_IsArray(e) && cJSON_GetArraySize(e) == 0)) {
                    continue;
                }
                note(report, "%s: missing in decision", sub, "", "");
            } else {
                partial_match(e, a, sub, report);
            }
        }
    } else if (cJSON_IsArray(expected) && cJSON_IsArray(actual)) {
        int n = cJSON_GetArraySize(expected);
        if (n != cJSON_GetArraySize(actual)) {
            char *text = cJSON_PrintUnformatted(actual);
            char counts[64];
            snprintf(counts, sizeof counts, "%d element(s), got %d", n, cJSON_GetArraySize(actual));
            note(report, "%s: expected %s: %s", path, counts, text ? text : "");
            cJSON_free(text);
            return;
        }
        for (int i = 0; i < n; i++) {
            snprintf(sub, sizeof sub, "%s[%d]", path, i);
            partial_match(cJSON_GetArrayItem(expected, i), cJSON_GetArrayItem(actual, i), sub, report);
        }
    } else if (!cJSON_Compare(expected, actual, 1)) {
        char *e = cJSON_PrintUnformatted(expected);
        char *a = cJSON_PrintUnformatted(actual);
        note(report, "%s: expected %s, got %s", path, e ? e : "", a ? a : "");
        cJSON_free(e);
        cJSON_free(a);
    }
}

/* The text of `case[text_key]` when it is a string, else `case[obj_key]` printed, else "".
 * Returns a malloc'd string. */
static char *text_of(const cJSON *c, const char *obj_key, const char *text_key) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, text_key);
    if (cJSON_IsString(t)) {
        char *copy = malloc(strlen(t->valuestring) + 1);
        if (copy != NULL) {
            strcpy(copy, t->valuestring);
        }
        return copy;
    }
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(c, obj_key);
    if (o != NULL && !cJSON_IsNull(o)) {
        return cJSON_PrintUnformatted(o);
    }
    char *empty = malloc(1);
    if (empty != NULL) {
        empty[0] = '\0';
    }
    return empty;
}

static char *load_policy(const cJSON *c, const char *dir, char **report) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "policy");
    if (cJSON_IsString(p)) {
        char path[1024];
        snprintf(path, sizeof path, "%s/policies/%s.json", dir, p->valuestring);
        char *text = read_file(path, NULL);
        if (text == NULL) {
            note(report, "%s: cannot read", path, "", "");
        }
        return text;
    }
    if (p != NULL) {
        return cJSON_PrintUnformatted(p);
    }
    note(report, "case has no policy", "", "", "");
    return NULL;
}

/* Whether the `codes` entry "stage/rule=result" has part `k` (0 stage, 1 rule, 2 result)
 * equal to the string `w`. */
static int code_part_is(const char *entry, size_t k, const cJSON *w) {
    if (!cJSON_IsString(w)) {
        return 0;
    }
    const char *slash = strchr(entry, '/');
    const char *rule = slash ? slash + 1 : entry;
    const char *eq = strchr(rule, '=');
    const char *from = k == 0 ? entry : k == 1 ? rule : (eq ? eq + 1 : rule + strlen(rule));
    const char *to = k == 0 ? (slash ? slash : entry) : k == 1 ? (eq ? eq : rule + strlen(rule)) : from + strlen(from);
    size_t n = (size_t)(to - from);
    return strlen(w->valuestring) == n && strncmp(from, w->valuestring, n) == 0;
}

/* Whether some trace entry matches `want` (stage/rule/result equal when given, detail
 * containing `detail_contains` when given). An entry is an object (level `full`) or the
 * string "stage/rule=result" (level `codes`). */
static int trace_has(const cJSON *trace, const cJSON *want) {
    static const char *const keys[] = {"stage", "rule", "result"};
    const cJSON *t;
    cJSON_ArrayForEach(t, trace) {
        int ok = 1;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0] && ok; k++) {
            const cJSON *w = cJSON_GetObjectItemCaseSensitive(want, keys[k]);
            if (w != NULL && cJSON_IsString(t)) {
                ok = code_part_is(t->valuestring, k, w);
            } else if (w != NULL) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, keys[k]);
                ok = v != NULL && cJSON_Compare(w, v, 1);
            }
        }
        const cJSON *dc = cJSON_GetObjectItemCaseSensitive(want, "detail_contains");
        if (ok && cJSON_IsString(dc)) {
            const char *detail = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "detail"));
            ok = strstr(detail ? detail : "", dc->valuestring) != NULL;
        }
        if (ok) {
            return 1;
        }
    }
    return 0;
}

static void check_decision(const cJSON *c, const char *decision_text, char **report) {
    cJSON *decision = cJSON_Parse(decision_text);
    if (decision == NULL) {
        note(report, "decision is not JSON: %s", decision_text, "", "");
        return;
    }
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
    if (expect == NULL) {
        note(report, "case has neither expect nor expect_error", "", "", "");
    } else {
        partial_match(expect, decision, "decision", report);
    }
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(decision, "trace");
    const cJSON *want;
    cJSON_ArrayForEach(want, cJSON_GetObjectItemCaseSensitive(c, "expect_trace")) {
        if (!trace_has(cJSON_IsArray(trace) ? trace : NULL, want)) {
            char *w = cJSON_PrintUnformatted(want);
            note(report, "trace has no entry matching %s", w ? w : "", "", "");
            cJSON_free(w);
        }
    }
    cJSON_Delete(decision);
}

/* Runs one case; returns NULL when it passes, else a malloc'd report. */
static char *run_case(const char *dir, const char *file) {
    char *report = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *raw = read_file(path, NULL);
    cJSON *c = raw ? cJSON_Parse(raw) : NULL;
    free(raw);
    if (c == NULL) {
        note(&report, "case is not JSON", "", "", "");
        return report;
    }
    char *policy = load_policy(c, dir, &report);
    char *event = text_of(c, "event", "event_text");
    char *crm = text_of(c, "crm", "crm_text");
    if (policy == NULL || event == NULL || crm == NULL) {
        note(&report, "cannot build the inputs", "", "", "");
    } else {
        rb_engine *engine = NULL;
        rb_error *err = NULL;
        rb_string out = {NULL, 0};
        rb_status st = rb_engine_new(RB_TEXT(policy), &engine, &err);
        if (st == RB_OK) {
            st = rb_engine_process(engine, RB_TEXT(event), RB_TEXT(crm), &out, &err);
        }
        const cJSON *want = cJSON_GetObjectItemCaseSensitive(c, "expect_error");
        if (want != NULL && st != RB_OK) {
            const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(want, "code"));
            if (strcmp(rb_status_str((int)st), code ? code : "") != 0) {
                note(&report, "expected error %s, got %s: %s", code ? code : "", rb_status_str((int)st),
                     rb_error_message(err));
            }
            if (rb_error_code(err) != st) {
                note(&report, "the error object's status %s differs from the returned %s",
                     rb_status_str((int)rb_error_code(err)), rb_status_str((int)st), "");
            }
            const char *want_path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(want, "path"));
            if (want_path != NULL && strcmp(want_path, rb_error_path(err)) != 0) {
                note(&report, "expected error path `%s`, got `%s` (%s)", want_path, rb_error_path(err),
                     rb_error_message(err));
            }
        } else if (want != NULL) {
            note(&report, "expected an error, got decision %.300s", out.ptr ? out.ptr : "", "", "");
        } else if (st != RB_OK) {
            note(&report, "unexpected error %s at `%s`: %s", rb_status_str((int)st), rb_error_path(err),
                 rb_error_message(err));
        } else {
            check_decision(c, out.ptr, &report);
        }
        rb_string_free(&out);
        rb_error_free(err);
        rb_engine_free(engine);
    }
    free(policy);
    free(event);
    free(crm);
    cJSON_Delete(c);
    return report;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!CHECK(d != NULL)) {
        return check_summary("test_corpus");
    }
    char **files = NULL;
    size_t n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len > 5 && strcmp(ent->d_name + len - 5, ".json") == 0) {
            char **grown = realloc(files, (n + 1) * sizeof *files);
            char *name = malloc(len + 1);
            if (grown == NULL || name == NULL) {
                free(name);
                files = grown ? grown : files;
                break;
            }
            files = grown;
            strcpy(name, ent->d_name);
            files[n++] = name;
        }
    }
    closedir(d);
    if (n > 0) {
        qsort(files, n, sizeof *files, by_name);
    }
    if (!CHECK(n >= 30)) {
        fprintf(stderr, "     the corpus has only %zu cases\n", n);
    }
    for (size_t i = 0; i < n; i++) {
        char *report = run_case(argv[1], files[i]);
        if (!check_impl(report == NULL, files[i], __FILE__, __LINE__)) {
            fprintf(stderr, "%s:%s\n", files[i], report);
        }
        free(report);
        free(files[i]);
    }
    free(files);
    return check_summary("test_corpus");
}
