/* The C API from C: every function's success path, its error paths (NULL pointers,
 * invalid UTF-8, truncated JSON, unknown location, ...), ownership resets and the panic
 * guard. rb_ingest has its own suite (test_ingest.c). Run under valgrind by `make test-c`.
 *
 * usage: test_api */
#include <stdint.h>

#include "cJSON.h"
#include "check.h"

/* The self-test hook: exported by the library, deliberately not in the header. */
rb_status rb_selftest_panic(rb_error **err);

static const char *POLICY =
    "{\"version\": \"c-api-1\", \"locations\": [{\"id\": \"phx-01\", \"name\": \"Phoenix Camelback\","
    " \"vertical\": \"home_services\", \"time_zone\": \"America/Phoenix\", \"country\": \"US\","
    " \"state\": \"AZ\", \"hours\": {\"tue\": [[\"07:00\",\"18:00\"]]}}]}";

static const char *POLICY_TOML =
    "version = \"c-api-toml\"\n"
    "[[locations]]\n"
    "id = \"phx-01\"\nname = \"Phoenix Camelback\"\nvertical = \"home_services\"\n"
    "time_zone = \"America/Phoenix\"\ncountry = \"US\"\nstate = \"AZ\"\n"
    "[locations.hours]\ntue = [[\"07:00\", \"18:00\"]]\n";

static const char *EVENT =
    "{\"event_id\": \"CAL1\", \"location_id\": \"phx-01\", \"occurred_at\": "
    "\"2026-11-24T09:15:00-07:00\", \"caller_number\": \"(602) 555-0143\", \"disposition\": "
    "\"no_answer\"}";

static const char *CRM =
    "{\"contacts\": [{\"id\": \"c_17\", \"kind\": \"customer\", \"phones\": [\"602.555.0143\"],"
    " \"location_id\": \"phx-01\", \"first_name\": \"Dana\"}]}";

/* A value no library call may leave in an out-parameter after a failure. */
#define SENTINEL ((void *)(uintptr_t)0x5a5a5a5a)

/* Checks the error in `err` (status, path), then frees it. The message must not be empty.
 * `path_prefix` NULL skips the path check. */
static void expect_error(rb_error *err, rb_status want, const char *path_prefix, const char *msg_part) {
    if (!CHECK(err != NULL)) {
        return;
    }
    CHECK_STATUS(rb_error_code(err), want);
    const char *msg = rb_error_message(err);
    CHECK(msg != NULL && msg[0] != '\0');
    if (msg_part != NULL && !CHECK(msg != NULL && strstr(msg, msg_part) != NULL)) {
        fprintf(stderr, "     message \"%s\" lacks \"%s\"\n", msg ? msg : "(null)", msg_part);
    }
    if (path_prefix != NULL) {
        const char *path = rb_error_path(err);
        if (!CHECK(path != NULL && strncmp(path, path_prefix, strlen(path_prefix)) == 0)) {
            fprintf(stderr, "     path \"%s\" does not start with \"%s\"\n", path ? path : "(null)",
                    path_prefix);
        }
    }
    rb_error_free(err);
}

static rb_engine *new_engine(const char *policy) {
    rb_engine *engine = NULL;
    rb_error *err = NULL;
    CHECK_STATUS(rb_engine_new(RB_TEXT(policy), &engine, &err), RB_OK);
    CHECK(err == NULL);
    CHECK(engine != NULL);
    return engine;
}

/* A filled rb_string: non-NULL, NUL-terminated at `len`, no NUL before it. */
static int well_formed(const rb_string *s) {
    return s->ptr != NULL && s->len > 0 && strlen(s->ptr) == s->len;
}

static void test_status_names(void) {
    CHECK_STR(rb_status_str(RB_OK), "ok");
    CHECK_STR(rb_status_str(RB_INVALID_JSON), "invalid_json");
    CHECK_STR(rb_status_str(RB_UNKNOWN_LOCATION), "unknown_location");
    CHECK_STR(rb_status_str(RB_INTERNAL), "internal");
    CHECK_STR(rb_status_str(RB_NULL_POINTER), "null_pointer");
    CHECK_STR(rb_status_str(RB_INVALID_UTF8), "invalid_utf8");
    CHECK_STR(rb_status_str(RB_PANIC), "panic");
    CHECK_STR(rb_status_str(-1), "unknown");
    CHECK_STR(rb_status_str(4242), "unknown");
}

static void test_null_safe_frees_and_accessors(void) {
    rb_string empty = {NULL, 0};
    rb_string_free(NULL);
    rb_string_free(&empty);
    rb_error_free(NULL);
    rb_engine_free(NULL);
    rb_crm_index_free(NULL);
    CHECK_STATUS(rb_error_code(NULL), RB_NULL_POINTER);
    CHECK_STR(rb_error_message(NULL), "");
    CHECK_STR(rb_error_path(NULL), "");
}

static void test_engine_new(void) {
    rb_engine *engine = SENTINEL;
    rb_error *err = SENTINEL;

    /* JSON and TOML both compile. */
    engine = new_engine(POLICY);
    rb_engine_free(engine);
    engine = new_engine(POLICY_TOML);
    rb_engine_free(engine);

    /* The default policy round-trips through rb_engine_new. */
    rb_string def = {SENTINEL, 7};
    CHECK_STATUS(rb_default_policy_json(&def, NULL), RB_OK);
    CHECK(well_formed(&def) && def.ptr[0] == '{');
    engine = new_engine(def.ptr);
    rb_engine_free(engine);
    rb_string_free(&def);
    CHECK(def.ptr == NULL && def.len == 0);
    rb_string_free(&def); /* freeing the reset struct again is a no-op */
    CHECK_STATUS(rb_default_policy_json(NULL, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`out`");

    /* NULL policy, NULL out: status and named argument; *out reset to NULL. */
    engine = SENTINEL;
    CHECK_STATUS(rb_engine_new(NULL, 10, &engine, &err), RB_NULL_POINTER);
    CHECK(engine == NULL);
    expect_error(err, RB_NULL_POINTER, "", "`policy`");
    CHECK_STATUS(rb_engine_new(RB_TEXT(POLICY), NULL, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`out`");
    /* err may be NULL: the status alone comes back. */
    CHECK_STATUS(rb_engine_new(NULL, 0, &engine, NULL), RB_NULL_POINTER);

    /* Invalid UTF-8. */
    const char bad_utf8[] = "{\"version\": \"\xc3\x28\"}";
    engine = SENTINEL;
    CHECK_STATUS(rb_engine_new(RB_TEXT(bad_utf8), &engine, &err), RB_INVALID_UTF8);
    CHECK(engine == NULL);
    expect_error(err, RB_INVALID_UTF8, "", "offset 13");

    /* Truncated JSON: the length cuts the document short. */
    CHECK_STATUS(rb_engine_new((const uint8_t *)POLICY, strlen(POLICY) / 2, &engine, &err),
                 RB_INVALID_JSON);
    expect_error(err, RB_INVALID_JSON, "", NULL);

    /* A bad time zone is named with its JSON path. */
    const char *bad_zone =
        "{\"version\": \"x\", \"locations\": [{\"id\": \"a\", \"name\": \"A\", \"vertical\": "
        "\"home_services\", \"time_zone\": \"Mars/Olympus\", \"hours\": {}}]}";
    CHECK_STATUS(rb_engine_new(RB_TEXT(bad_zone), &engine, &err), RB_INVALID_TIME_ZONE);
    expect_error(err, RB_INVALID_TIME_ZONE, "locations[0].time_zone", "Mars/Olympus");

    /* Garbage bytes. */
    const uint8_t garbage[] = {0x00, 0x01, 0x7f, 0x20, 0x5b};
    CHECK(rb_engine_new(garbage, sizeof garbage, &engine, &err) != RB_OK);
    CHECK(engine == NULL);
    CHECK(err != NULL);
    rb_error_free(err);

    /* A length no buffer can have. */
    CHECK_STATUS(rb_engine_new((const uint8_t *)POLICY, SIZE_MAX, &engine, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`policy`");
}

static void test_process(rb_engine *engine) {
    rb_string out = {SENTINEL, 99};
    rb_error *err = SENTINEL;

    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT(CRM), &out, &err), RB_OK);
    CHECK(err == NULL);
    CHECK(well_formed(&out));
    CHECK(strstr(out.ptr, "\"status\":\"follow_up\"") != NULL);
    CHECK(strstr(out.ptr, "\"action\":\"append_to_customer\"") != NULL);
    CHECK(strstr(out.ptr, "\"contact_id\":\"c_17\"") != NULL);
    /* The decision carries the version rb_version reports. */
    char version_field[64];
    snprintf(version_field, sizeof version_field, "\"engine_version\":\"%s\"", rb_version());
    CHECK(strstr(out.ptr, version_field) != NULL);
    rb_string_free(&out);
    CHECK(out.ptr == NULL && out.len == 0);

    /* Inputs need no NUL terminator: an exact-size copy (valgrind flags any over-read). */
    size_t n = strlen(EVENT);
    uint8_t *exact = malloc(n);
    if (CHECK(exact != NULL)) {
        memcpy(exact, EVENT, n);
        CHECK_STATUS(rb_engine_process(engine, exact, n, NULL, 0, &out, &err), RB_OK);
        CHECK(well_formed(&out) && strstr(out.ptr, "\"action\":\"create_lead\"") != NULL);
        rb_string_free(&out);
        free(exact);
    }

    /* No CRM: (NULL, 0), "" and "null" are the same decision. */
    rb_string a = {NULL, 0}, b = {NULL, 0}, c = {NULL, 0};
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), NULL, 0, &a, NULL), RB_OK);
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT(""), &b, NULL), RB_OK);
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT("null"), &c, NULL), RB_OK);
    CHECK(a.ptr && b.ptr && c.ptr && strcmp(a.ptr, b.ptr) == 0 && strcmp(a.ptr, c.ptr) == 0);
    rb_string_free(&a);
    rb_string_free(&b);
    rb_string_free(&c);

    /* NULL pointers, each named; the out string reset to {NULL, 0}. */
    out.ptr = SENTINEL;
    out.len = 99;
    CHECK_STATUS(rb_engine_process(NULL, RB_TEXT(EVENT), NULL, 0, &out, &err), RB_NULL_POINTER);
    CHECK(out.ptr == NULL && out.len == 0);
    expect_error(err, RB_NULL_POINTER, "", "`engine`");
    CHECK_STATUS(rb_engine_process(engine, NULL, 0, NULL, 0, &out, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`event`");
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), NULL, 5, &out, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`crm`");
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), NULL, 0, NULL, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`out`");
    CHECK_STATUS(rb_engine_process(NULL, NULL, 0, NULL, 0, NULL, NULL), RB_NULL_POINTER);

    /* Invalid UTF-8 in the event and in the CRM. */
    const char bad_event[] = "{\"event_id\": \"\xff\"}";
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(bad_event), NULL, 0, &out, &err), RB_INVALID_UTF8);
    expect_error(err, RB_INVALID_UTF8, "", "`event`");
    const char bad_crm[] = "{\"contacts\": [\"\xed\xa0\x80\"]}"; /* an encoded surrogate */
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT(bad_crm), &out, &err),
                 RB_INVALID_UTF8);
    expect_error(err, RB_INVALID_UTF8, "", "`crm`");

    /* Truncated JSON. */
    CHECK_STATUS(rb_engine_process(engine, (const uint8_t *)EVENT, 40, NULL, 0, &out, &err),
                 RB_INVALID_JSON);
    CHECK(out.ptr == NULL);
    expect_error(err, RB_INVALID_JSON, "", "EOF");
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(""), NULL, 0, &out, &err), RB_INVALID_JSON);
    expect_error(err, RB_INVALID_JSON, "", NULL);

    /* Unknown location, with its path. */
    const char *elsewhere =
        "{\"event_id\": \"CAL2\", \"location_id\": \"nowhere-9\", \"occurred_at\": "
        "\"2026-11-24T09:15:00-07:00\", \"caller_number\": \"+16025550143\", \"disposition\": "
        "\"no_answer\"}";
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(elsewhere), NULL, 0, &out, &err),
                 RB_UNKNOWN_LOCATION);
    expect_error(err, RB_UNKNOWN_LOCATION, "location_id", "nowhere-9");

    /* A structurally wrong event and CRM. */
    const char *no_disposition =
        "{\"event_id\": \"CAL3\", \"location_id\": \"phx-01\", \"occurred_at\": "
        "\"2026-11-24T09:15:00-07:00\", \"caller_number\": \"+16025550143\"}";
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(no_disposition), NULL, 0, &out, &err),
                 RB_INVALID_EVENT);
    expect_error(err, RB_INVALID_EVENT, "", "disposition");
    const char *wrong_kind = "{\"contacts\": [{\"id\": \"c1\", \"kind\": \"alien\"}]}";
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT(wrong_kind), &out, &err),
                 RB_INVALID_CRM);
    expect_error(err, RB_INVALID_CRM, "contacts[0].kind", NULL);
    const char *bad_time =
        "{\"event_id\": \"CAL4\", \"location_id\": \"phx-01\", \"occurred_at\": "
        "\"2026-11-24 09:15\", \"caller_number\": \"+16025550143\", \"disposition\": \"no_answer\"}";
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(bad_time), NULL, 0, &out, &err),
                 RB_INVALID_TIMESTAMP);
    expect_error(err, RB_INVALID_TIMESTAMP, "occurred_at", NULL);
}

static void test_index(rb_engine *engine) {
    rb_crm_index *index = SENTINEL;
    rb_error *err = SENTINEL;
    rb_string plain = {NULL, 0}, indexed = {NULL, 0};

    CHECK_STATUS(rb_crm_index_new(engine, RB_TEXT(CRM), &index, &err), RB_OK);
    CHECK(err == NULL && index != NULL);
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT(CRM), &plain, NULL), RB_OK);
    CHECK_STATUS(rb_engine_process_indexed(engine, index, RB_TEXT(EVENT), &indexed, &err), RB_OK);
    CHECK(plain.ptr && indexed.ptr && strcmp(plain.ptr, indexed.ptr) == 0);
    rb_string_free(&plain);
    rb_string_free(&indexed);

    CHECK_STATUS(rb_engine_process_indexed(engine, NULL, RB_TEXT(EVENT), &indexed, &err),
                 RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`index`");
    CHECK_STATUS(rb_engine_process_indexed(NULL, index, RB_TEXT(EVENT), &indexed, &err),
                 RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`engine`");
    CHECK_STATUS(rb_engine_process_indexed(engine, index, NULL, 3, &indexed, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`event`");
    CHECK_STATUS(rb_engine_process_indexed(engine, index, (const uint8_t *)EVENT, 10, &indexed, &err),
                 RB_INVALID_JSON);
    expect_error(err, RB_INVALID_JSON, "", NULL);

    /* The index outlives the engine that built it. */
    rb_engine *other = new_engine(POLICY);
    rb_crm_index *kept = NULL;
    CHECK_STATUS(rb_crm_index_new(other, RB_TEXT(CRM), &kept, NULL), RB_OK);
    rb_engine_free(other);
    CHECK_STATUS(rb_engine_process_indexed(engine, kept, RB_TEXT(EVENT), &indexed, NULL), RB_OK);
    CHECK(indexed.ptr && strstr(indexed.ptr, "\"contact_id\":\"c_17\"") != NULL);
    rb_string_free(&indexed);
    rb_crm_index_free(kept);

    /* Index errors. */
    rb_crm_index *bad = SENTINEL;
    CHECK_STATUS(rb_crm_index_new(engine, (const uint8_t *)CRM, 12, &bad, &err), RB_INVALID_JSON);
    CHECK(bad == NULL);
    expect_error(err, RB_INVALID_JSON, "", NULL);
    CHECK_STATUS(rb_crm_index_new(NULL, RB_TEXT(CRM), &bad, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`engine`");
    CHECK_STATUS(rb_crm_index_new(engine, RB_TEXT(CRM), NULL, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`out`");
    /* An empty index is fine. */
    CHECK_STATUS(rb_crm_index_new(engine, NULL, 0, &bad, NULL), RB_OK);
    rb_crm_index_free(bad);
    rb_crm_index_free(index);
}

/* The learning state out of a record_outcome result, printed (caller frees). */
static char *learning_of(const char *result) {
    cJSON *root = cJSON_Parse(result);
    char *text = NULL;
    if (root != NULL) {
        cJSON *learning = cJSON_GetObjectItemCaseSensitive(root, "learning");
        if (learning != NULL) {
            text = cJSON_PrintUnformatted(learning);
        }
        cJSON_Delete(root);
    }
    return text;
}

static void test_record_outcome(rb_engine *engine) {
    rb_string decision = {NULL, 0}, out = {NULL, 0}, again = {NULL, 0};
    rb_error *err = NULL;
    const char *outcome = "{\"event_id\": \"CAL1\", \"kind\": \"converted\", \"at\": "
                          "\"2026-11-24T10:05:00-07:00\", \"value\": 480}";

    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT(CRM), &decision, NULL), RB_OK);
    if (!CHECK(decision.ptr != NULL)) {
        return;
    }
    CHECK_STATUS(rb_engine_record_outcome(engine, (const uint8_t *)decision.ptr, decision.len,
                                          RB_TEXT(outcome), NULL, 0, &out, &err),
                 RB_OK);
    CHECK(err == NULL && well_formed(&out));
    cJSON *root = out.ptr ? cJSON_Parse(out.ptr) : NULL;
    cJSON *attribution = cJSON_GetObjectItemCaseSensitive(root, "attribution");
    CHECK(cJSON_IsObject(attribution));
    CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "learning")));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attribution, "event_id")), "CAL1");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attribution, "outcome")),
              "converted");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attribution, "contact_id")), "c_17");
    cJSON_Delete(root);

    /* The learning state feeds the next call. */
    char *learning = out.ptr ? learning_of(out.ptr) : NULL;
    CHECK(learning != NULL);
    if (learning != NULL) {
        CHECK_STATUS(rb_engine_record_outcome(engine, (const uint8_t *)decision.ptr, decision.len,
                                              RB_TEXT(outcome), RB_TEXT(learning), &again, &err),
                     RB_OK);
        CHECK(again.ptr != NULL && strcmp(again.ptr, out.ptr) != 0);
        rb_string_free(&again);
        cJSON_free(learning);
    }
    rb_string_free(&out);

    /* Errors: NULLs, UTF-8, truncated inputs (paths say which input), another event. */
    CHECK_STATUS(rb_engine_record_outcome(NULL, RB_TEXT(decision.ptr), RB_TEXT(outcome), NULL, 0,
                                          &out, &err),
                 RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`engine`");
    CHECK_STATUS(rb_engine_record_outcome(engine, NULL, 0, RB_TEXT(outcome), NULL, 0, &out, &err),
                 RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`decision`");
    CHECK_STATUS(rb_engine_record_outcome(engine, RB_TEXT(decision.ptr), NULL, 0, NULL, 0, &out, &err),
                 RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`outcome`");
    CHECK_STATUS(rb_engine_record_outcome(engine, RB_TEXT(decision.ptr), RB_TEXT(outcome), NULL, 0,
                                          NULL, &err),
                 RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`out`");
    const char bad_learning[] = "{\"\xc0\xaf\": 1}";
    CHECK_STATUS(rb_engine_record_outcome(engine, RB_TEXT(decision.ptr), RB_TEXT(outcome),
                                          RB_TEXT(bad_learning), &out, &err),
                 RB_INVALID_UTF8);
    expect_error(err, RB_INVALID_UTF8, "", "`learning`");
    CHECK_STATUS(rb_engine_record_outcome(engine, (const uint8_t *)decision.ptr, 30, RB_TEXT(outcome),
                                          NULL, 0, &out, &err),
                 RB_INVALID_JSON);
    expect_error(err, RB_INVALID_JSON, "decision", NULL);
    CHECK_STATUS(rb_engine_record_outcome(engine, RB_TEXT(decision.ptr), RB_TEXT(outcome),
                                          RB_TEXT("{\"counts\": "), &out, &err),
                 RB_INVALID_JSON);
    expect_error(err, RB_INVALID_JSON, "learning", NULL);
    const char *other_event = "{\"event_id\": \"CAL-other\", \"kind\": \"engaged\", \"at\": "
                              "\"2026-11-24T10:05:00-07:00\"}";
    rb_status st = rb_engine_record_outcome(engine, RB_TEXT(decision.ptr), RB_TEXT(other_event), NULL,
                                            0, &out, &err);
    CHECK(st != RB_OK && out.ptr == NULL);
    expect_error(err, st, "event_id", "CAL-other");
    rb_string_free(&decision);
}

static void test_tick(rb_engine *engine) {
    rb_string out = {NULL, 0};
    rb_error *err = NULL;
    const char *followup = "{\"id\": \"f1\", \"created_at\": \"2026-11-24T09:20:00-07:00\", "
                           "\"location_id\": \"phx-01\", \"due_at\": \"2026-11-24T10:00:00-07:00\"}";

    CHECK_STATUS(rb_engine_tick(engine, RB_TEXT(followup), RB_TEXT("2026-11-24T09:30:00-07:00"), &out,
                                &err),
                 RB_OK);
    CHECK(err == NULL && out.ptr && strstr(out.ptr, "\"action\":\"nothing\"") != NULL);
    rb_string_free(&out);
    CHECK_STATUS(rb_engine_tick(engine, RB_TEXT(followup), RB_TEXT("2026-11-24T10:07:00-07:00"), &out,
                                &err),
                 RB_OK);
    CHECK(out.ptr && strstr(out.ptr, "\"action\":\"breached\"") != NULL &&
          strstr(out.ptr, "\"overdue_minutes\":7") != NULL);
    rb_string_free(&out);

    CHECK_STATUS(rb_engine_tick(engine, RB_TEXT(followup), RB_TEXT("half past nine"), &out, &err),
                 RB_INVALID_TIMESTAMP);
    expect_error(err, RB_INVALID_TIMESTAMP, "now", NULL);
    CHECK_STATUS(rb_engine_tick(engine, RB_TEXT(followup), NULL, 0, &out, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`now`");
    CHECK_STATUS(rb_engine_tick(engine, NULL, 0, RB_TEXT("2026-11-24T09:30:00-07:00"), &out, &err),
                 RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`followup`");
    CHECK_STATUS(rb_engine_tick(engine, (const uint8_t *)followup, 20, RB_TEXT("2026-11-24T09:30:00Z"),
                                &out, &err),
                 RB_INVALID_JSON);
    expect_error(err, RB_INVALID_JSON, "", NULL);
    const char *elsewhere = "{\"id\": \"f2\", \"created_at\": \"2026-11-24T09:20:00-07:00\", "
                            "\"location_id\": \"tuc-09\", \"due_at\": \"2026-11-24T10:00:00-07:00\"}";
    CHECK_STATUS(rb_engine_tick(engine, RB_TEXT(elsewhere), RB_TEXT("2026-11-24T09:30:00-07:00"), &out,
                                &err),
                 RB_UNKNOWN_LOCATION);
    expect_error(err, RB_UNKNOWN_LOCATION, "location_id", "tuc-09");
}

static void test_panic_guard(rb_engine *engine) {
    rb_error *err = SENTINEL;
    fprintf(stderr, "(a deliberate panic message may follow)\n");
    CHECK_STATUS(rb_selftest_panic(&err), RB_PANIC);
    expect_error(err, RB_PANIC, "", "deliberate panic");
    CHECK_STATUS(rb_selftest_panic(NULL), RB_PANIC);
    /* The library still works after a caught panic. */
    rb_string out = {NULL, 0};
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), NULL, 0, &out, NULL), RB_OK);
    rb_string_free(&out);
}

/* rb_engine_explain: the lean decision's trace in words, for the same inputs only. */
static void test_explain(rb_engine *engine) {
    rb_string lean = {NULL, 0}, full = {SENTINEL, 99};
    rb_error *err = NULL;
    CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT(CRM), &lean, &err), RB_OK);
    cJSON *d = cJSON_Parse(lean.ptr);
    rb_string_free(&lean);
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(d, "trace");
    CHECK(cJSON_GetArraySize(trace) > 10);
    /* Codes: "stage/rule=result" strings. */
    CHECK(cJSON_IsString(cJSON_GetArrayItem(trace, 0)));
    CHECK(strchr(cJSON_GetStringValue(cJSON_GetArrayItem(trace, 0)), '/') != NULL);
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "decision_id"));
    CHECK_STATUS(rb_engine_explain(engine, RB_TEXT(EVENT), RB_TEXT(CRM), RB_TEXT(id), &full, &err), RB_OK);
    cJSON *e = cJSON_Parse(full.ptr);
    rb_string_free(&full);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "decision_id")), id);
    const cJSON *words = cJSON_GetObjectItemCaseSensitive(e, "trace");
    /* The rules a decision field states are traced in words too. */
    CHECK(cJSON_GetArraySize(words) > cJSON_GetArraySize(trace));
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(words, 0), "detail")));
    cJSON_Delete(e);
    /* Without the CRM the stored decision saw: another id, RB_INVALID_EVENT at decision_id. */
    full.ptr = SENTINEL;
    CHECK_STATUS(rb_engine_explain(engine, RB_TEXT(EVENT), NULL, 0, RB_TEXT(id), &full, &err),
                 RB_INVALID_EVENT);
    CHECK(full.ptr == NULL && full.len == 0);
    expect_error(err, RB_INVALID_EVENT, "decision_id", id);
    /* No id given: no check. */
    CHECK_STATUS(rb_engine_explain(engine, RB_TEXT(EVENT), NULL, 0, NULL, 0, &full, NULL), RB_OK);
    rb_string_free(&full);
    CHECK_STATUS(rb_engine_explain(NULL, RB_TEXT(EVENT), NULL, 0, NULL, 0, &full, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`engine`");
    cJSON_Delete(d);
}

/* The engine reuses the index of the CRM text it saw last (issue 17): the same text again
 * decides the same; another text is read afresh, never answered from the old one. */
static void test_last_crm_is_not_stale(rb_engine *engine) {
    static const char *EMPTY_CRM = "{\"contacts\": []}";
    const char *crms[] = {CRM, CRM, EMPTY_CRM, CRM, EMPTY_CRM, EMPTY_CRM};
    const char *want[] = {"c_17", "c_17", NULL, "c_17", NULL, NULL};
    for (size_t i = 0; i < sizeof crms / sizeof crms[0]; i++) {
        rb_string out = {NULL, 0};
        CHECK_STATUS(rb_engine_process(engine, RB_TEXT(EVENT), RB_TEXT(crms[i]), &out, NULL), RB_OK);
        cJSON *d = cJSON_Parse(out.ptr);
        rb_string_free(&out);
        const cJSON *record = cJSON_GetObjectItemCaseSensitive(d, "record");
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(record, "contact_id"));
        if (want[i] == NULL) {
            CHECK(id == NULL);
        } else {
            CHECK(id != NULL && strcmp(id, want[i]) == 0);
        }
        cJSON_Delete(d);
    }
}

/* rb_bucket: FNV-1a 64 of the key's bytes modulo the bucket count (the published test
 * vector for "a" is 0xaf63dc4c8601ec8c), the same as every other binding's `bucket`. */
static void test_bucket(void) {
    const uint64_t a = 0xaf63dc4c8601ec8cULL;
    CHECK(rb_bucket((const uint8_t *)"a", 1, 7) == (uint32_t)(a % 7));
    CHECK(rb_bucket((const uint8_t *)"a", 1, 1000) == (uint32_t)(a % 1000));
    CHECK(rb_bucket((const uint8_t *)"a", 1, 0) == 0);
    /* The empty key is the offset basis. */
    CHECK(rb_bucket(NULL, 0, 1000) == (uint32_t)(0xcbf29ce484222325ULL % 1000));
    CHECK(rb_bucket(NULL, 5, 64) == 0);
    const char *phone = "+16025550143";
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const char *c = phone; *c; c++) {
        h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
    }
    CHECK(rb_bucket((const uint8_t *)phone, strlen(phone), 64) == (uint32_t)(h % 64));
}

int main(void) {
    CHECK(rb_version() != NULL && rb_version()[0] != '\0');
    test_status_names();
    test_null_safe_frees_and_accessors();
    test_engine_new();
    rb_engine *engine = new_engine(POLICY);
    test_process(engine);
    test_index(engine);
    test_record_outcome(engine);
    test_tick(engine);
    test_explain(engine);
    test_last_crm_is_not_stale(engine);
    test_bucket();
    test_panic_guard(engine);
    rb_engine_free(engine);
    return check_summary("test_api");
}
