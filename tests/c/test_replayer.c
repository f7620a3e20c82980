/* rb_replayer_*: the core's replay loop from C. The demo week must come out as the shared
 * case tests/replay/demo_week.json says (the same case the CLI, Python and Node suites
 * check): line count, first and last event, statuses, outcomes and report figures here;
 * the output is written to OUT so that mk/c.mk checks its SHA-256 against the case.
 * Also: a retry is a duplicate, errors keep their place, NULL and bad inputs are refused.
 *
 * usage: test_replayer <repo root> <out.jsonl> */
#define _POSIX_C_SOURCE 200809L

#include "check.h"
#include "cJSON.h"

static char *read_at(const char *root, const char *rel) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    size_t len = 0;
    return read_file(path, &len);
}

static int count_status(cJSON *lines, const char *status) {
    int n = 0;
    cJSON *d;
    cJSON_ArrayForEach(d, lines) {
        cJSON *s = cJSON_GetObjectItemCaseSensitive(d, "status");
        if (cJSON_IsString(s) && strcmp(s->valuestring, status) == 0) {
            n++;
        }
    }
    return n;
}

static void demo_week(const char *root, const char *out_path) {
    char *case_text = read_at(root, "tests/replay/demo_week.json");
    CHECK(case_text != NULL);
    cJSON *c = cJSON_Parse(case_text);
    CHECK(c != NULL);
    cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
    char *policy = read_at(root, cJSON_GetObjectItemCaseSensitive(c, "policy")->valuestring);
    char *crm = read_at(root, cJSON_GetObjectItemCaseSensitive(c, "crm")->valuestring);
    char *events = read_at(root, cJSON_GetObjectItemCaseSensitive(c, "events")->valuestring);
    char *outcomes = read_at(root, cJSON_GetObjectItemCaseSensitive(c, "outcomes")->valuestring);
    CHECK(policy && crm && events && outcomes);

    rb_engine *engine = NULL;
    rb_error *err = NULL;
    CHECK_STATUS(rb_engine_new(RB_TEXT(policy), &engine, &err), RB_OK);
    rb_replayer *r = NULL;
    CHECK_STATUS(rb_replayer_new(engine, RB_TEXT(crm), &r, &err), RB_OK);
    /* The replayer keeps its own engine reference: the engine may go first. */
    rb_engine_free(engine);

    rb_string out = {NULL, 0};
    CHECK_STATUS(rb_replayer_replay_jsonl(r, RB_TEXT(events), &out, &err), RB_OK);
    CHECK(out.ptr != NULL && out.len > 0);
    FILE *f = fopen(out_path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fwrite(out.ptr, 1, out.len, f) == out.len);
        fclose(f);
    }

    /* Parse the lines into an array. */
    cJSON *lines = cJSON_CreateArray();
    char *copy = malloc(out.len + 1);
    CHECK(copy != NULL);
    if (copy == NULL) {
        return;
    }
    memcpy(copy, out.ptr, out.len);
    copy[out.len] = '\0';
    char *cursor = copy;
    int n = 0;
    while (cursor != NULL && *cursor != '\0') {
        char *nl = strchr(cursor, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        cJSON *d = cJSON_Parse(cursor);
        CHECK(d != NULL);
        cJSON_AddItemToArray(lines, d);
        n++;
        cursor = nl != NULL ? nl + 1 : NULL;
    }
    CHECK(n == cJSON_GetObjectItemCaseSensitive(expect, "lines")->valueint);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(lines, 0), "event_id")->valuestring,
              cJSON_GetObjectItemCaseSensitive(expect, "first_event_id")->valuestring);
    CHECK_STR(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(lines, n - 1), "event_id")->valuestring,
              cJSON_GetObjectItemCaseSensitive(expect, "last_event_id")->valuestring);
    cJSON *st;
    int total = 0;
    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(expect, "statuses")) {
        int got = count_status(lines, st->string);
        if (!CHECK(got == st->valueint)) {
            fprintf(stderr, "     status %s: got %d, want %d\n", st->string, got, st->valueint);
        }
        total += got;
    }
    CHECK(total == n);
    cJSON_Delete(lines);
    free(copy);
    rb_string_free(&out);

    /* Outcomes, one per line. */
    int recorded = 0;
    cursor = outcomes;
    while (cursor != NULL && *cursor != '\0') {
        char *nl = strchr(cursor, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        if (*cursor != '\0') {
            rb_string a = {NULL, 0};
            if (rb_replayer_record_outcome(r, RB_TEXT(cursor), &a, NULL) == RB_OK) {
                recorded++;
            }
            rb_string_free(&a);
        }
        cursor = nl != NULL ? nl + 1 : NULL;
    }
    CHECK(recorded == cJSON_GetObjectItemCaseSensitive(expect, "outcomes_recorded")->valueint);

    rb_string summary = {NULL, 0};
    CHECK_STATUS(rb_replayer_summary(r, &summary, &err), RB_OK);
    cJSON *s = cJSON_Parse(summary.ptr);
    cJSON *portfolio = cJSON_GetObjectItemCaseSensitive(s, "portfolio");
    CHECK(cJSON_GetObjectItemCaseSensitive(portfolio, "missed_calls")->valueint ==
          cJSON_GetObjectItemCaseSensitive(expect, "missed_calls")->valueint);
    CHECK(cJSON_GetObjectItemCaseSensitive(portfolio, "converted")->valueint ==
          cJSON_GetObjectItemCaseSensitive(expect, "converted")->valueint);
    CHECK(cJSON_GetObjectItemCaseSensitive(portfolio, "recovered_value")->valuedouble ==
          cJSON_GetObjectItemCaseSensitive(expect, "recovered_value")->valuedouble);
    cJSON_Delete(s);
    rb_string_free(&summary);
    rb_replayer_free(r);
    cJSON_Delete(c);
    free(case_text);
    free(policy);
    free(crm);
    free(events);
    free(outcomes);
}

static const char *POLICY =
    "{\"version\": \"t1\", \"locations\": [{\"id\": \"phx-01\", \"name\": \"Phoenix\","
    " \"vertical\": \"home_services\", \"time_zone\": \"America/Phoenix\", \"country\": \"US\","
    " \"state\": \"AZ\", \"hours\": {\"tue\": [[\"07:00\", \"18:00\"]]}}]}";

static void retries_and_errors(void) {
    rb_engine *engine = NULL;
    CHECK_STATUS(rb_engine_new(RB_TEXT(POLICY), &engine, NULL), RB_OK);
    rb_crm_index *index = NULL;
    CHECK_STATUS(rb_crm_index_new(engine, NULL, 0, &index, NULL), RB_OK);
    rb_replayer *r = NULL;
    CHECK_STATUS(rb_replayer_new_indexed(engine, index, &r, NULL), RB_OK);
    rb_crm_index_free(index);

    const char *first =
        "{\"event_id\": \"CAL-1\", \"location_id\": \"phx-01\", \"occurred_at\": "
        "\"2026-11-24T09:15:00-07:00\", \"caller_number\": \"(602) 555-0143\", \"disposition\": "
        "\"voicemail\", \"voicemail\": {\"transcript\": \"the water heater is leaking\"}}";
    rb_string d = {NULL, 0};
    CHECK_STATUS(rb_replayer_decide(r, RB_TEXT(first), &d, NULL), RB_OK);
    CHECK(d.ptr != NULL && strstr(d.ptr, "\"status\":\"follow_up\"") != NULL);
    rb_string_free(&d);
    /* The webhook retry: the CRM written back knows the event, the flag is explicit. */
    CHECK_STATUS(rb_replayer_decide(r, RB_TEXT(first), &d, NULL), RB_OK);
    CHECK(d.ptr != NULL && strstr(d.ptr, "\"status\":\"duplicate_event\"") != NULL);
    rb_string_free(&d);

    /* A bad line is answered in its place; the call itself succeeds. */
    const char *jsonl =
        "{\"event_id\": \"CAL-2\", \"location_id\": \"phx-01\", \"occurred_at\": "
        "\"2026-11-24T10:00:00-07:00\", \"caller_number\": \"6025550199\", \"disposition\": \"busy\"}\n"
        "not json\n";
    CHECK_STATUS(rb_replayer_replay_jsonl(r, RB_TEXT(jsonl), &d, NULL), RB_OK);
    CHECK(d.ptr != NULL && strstr(d.ptr, "\"event_id\":\"CAL-2\"") != NULL);
    CHECK(d.ptr != NULL && strstr(d.ptr, "{\"error\":{\"code\":\"invalid_json\"") != NULL);
    CHECK(d.ptr != NULL && strstr(d.ptr, "\"line\":2}") != NULL);
    rb_string_free(&d);

    rb_error *err = NULL;
    const char *unknown = "{\"event_id\": \"CAL-404\", \"kind\": \"engaged\", \"at\": \"2026-11-24T10:00:00-07:00\"}";
    CHECK_STATUS(rb_replayer_record_outcome(r, RB_TEXT(unknown), &d, &err), RB_INVALID_EVENT);
    CHECK(d.ptr == NULL);
    CHECK_STR(rb_error_path(err), "event_id");
    rb_error_free(err);
    err = NULL;

    /* NULL handles and outputs are refused with a status, never a crash. */
    CHECK_STATUS(rb_replayer_decide(NULL, RB_TEXT(first), &d, NULL), RB_NULL_POINTER);
    CHECK_STATUS(rb_replayer_decide(r, NULL, 5, &d, NULL), RB_NULL_POINTER);
    CHECK_STATUS(rb_replayer_summary(r, NULL, NULL), RB_NULL_POINTER);
    rb_replayer *other = (rb_replayer *)1;
    CHECK_STATUS(rb_replayer_new(NULL, NULL, 0, &other, NULL), RB_NULL_POINTER);
    CHECK(other == NULL);
    const char bad_utf8[] = {'{', (char)0xff, '}'};
    CHECK_STATUS(rb_replayer_new(engine, (const uint8_t *)bad_utf8, sizeof bad_utf8, &other, NULL),
                 RB_INVALID_UTF8);
    CHECK(other == NULL);
    rb_replayer_free(NULL);
    rb_replayer_free(r);
    rb_engine_free(engine);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_replayer <repo root> <out.jsonl>\n");
        return 2;
    }
    demo_week(argv[1], argv[2]);
    retries_and_errors();
    return check_summary("test_replayer");
}
