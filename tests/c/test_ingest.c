/* rb_ingest from C on vendor payloads exactly as sent (the repository's tests/vendors/
 * samples), and its error paths. Run under valgrind by `make test-c`.
 *
 * usage: test_ingest <dir holding vendors/> */
#include "cJSON.h"
#include "check.h"

/* Checks the error in `err` (status, path prefix, message part), then frees it. */
static void expect_error(rb_error *err, rb_status want, const char *path_prefix, const char *msg_part) {
    if (!CHECK(err != NULL)) {
        return;
    }
    CHECK_STATUS(rb_error_code(err), want);
    const char *msg = rb_error_message(err);
    if (msg_part != NULL && !CHECK(strstr(msg, msg_part) != NULL)) {
        fprintf(stderr, "     message \"%s\" lacks \"%s\"\n", msg, msg_part);
    }
    const char *path = rb_error_path(err);
    if (!CHECK(strncmp(path, path_prefix, strlen(path_prefix)) == 0)) {
        fprintf(stderr, "     path \"%s\" does not start with \"%s\"\n", path, path_prefix);
    }
    rb_error_free(err);
}

/* Ingests a fixture and returns the parsed result (caller deletes), NULL on failure. */
static cJSON *ingest_fixture(const char *dir, const char *vendor, const char *file, const char *options) {
    char path[1024];
    snprintf(path, sizeof path, "%s/vendors/%s", dir, file);
    size_t len = 0;
    char *payload = read_file(path, &len);
    if (!CHECK(payload != NULL)) {
        return NULL;
    }
    rb_string out = {NULL, 0};
    rb_error *err = NULL;
    rb_status st = rb_ingest(RB_TEXT(vendor), (const uint8_t *)payload, len, RB_TEXT(options), &out, &err);
    free(payload);
    if (!CHECK(st == RB_OK)) {
        fprintf(stderr, "     ingest %s: %s at `%s`: %s\n", file, rb_status_str((int)st), rb_error_path(err),
                rb_error_message(err));
        rb_error_free(err);
        return NULL;
    }
    cJSON *root = cJSON_Parse(out.ptr);
    rb_string_free(&out);
    CHECK(root != NULL);
    return root;
}

static const char *str_at(const cJSON *obj, const char *key1, const char *key2) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key1);
    if (key2 != NULL) {
        v = cJSON_GetObjectItemCaseSensitive(v, key2);
    }
    return cJSON_GetStringValue(v);
}

static void test_ingest(const char *fixtures) {
    const char *options = "{\"default_location\": \"phx-01\", \"received_at\": \"2026-11-24T16:15:30Z\"}";
    cJSON *r;

    /* CallRail post-call voicemail (verbatim body): an event. */
    r = ingest_fixture(fixtures, "callrail", "callrail-post-call-voicemail-verbatim.json", options);
    CHECK_STR(str_at(r, "ingested", NULL), "event");
    CHECK_STR(str_at(r, "event", "caller_number"), "+12148654559");
    CHECK_STR(str_at(r, "event", "location_id"), "phx-01");
    cJSON_Delete(r);

    /* Twilio <Dial action> with DialCallStatus=no-answer (form-encoded): an event. */
    r = ingest_fixture(fixtures, "twilio", "twilio-dial-action-no-answer-verbatim.txt", options);
    CHECK_STR(str_at(r, "ingested", NULL), "event");
    CHECK_STR(str_at(r, "event", "event_id"), "CA4b2c80691a3b7059f44c09530901f525");
    CHECK_STR(str_at(r, "event", "caller_number"), "+17722065315");
    cJSON_Delete(r);

    /* Aircall: call.hungup before call.ended is incomplete; the outbound call is not missed;
     * call.ended for the missed inbound call is the event. */
    r = ingest_fixture(fixtures, "aircall", "aircall-call-hungup-inbound-missed-verbatim.json", options);
    CHECK_STR(str_at(r, "ingested", NULL), "incomplete");
    CHECK(str_at(r, "reason", NULL) != NULL);
    cJSON_Delete(r);
    r = ingest_fixture(fixtures, "aircall", "aircall-call-ended-outbound-answered-verbatim.json", options);
    CHECK_STR(str_at(r, "ingested", NULL), "not_missed");
    cJSON_Delete(r);
    r = ingest_fixture(fixtures, "aircall", "aircall-call-ended-inbound-missed-with-voicemail-verbatim.json",
                       options);
    CHECK_STR(str_at(r, "ingested", NULL), "event");
    CHECK_STR(str_at(r, "event", "location_id"), "phx-01");
    cJSON_Delete(r);

    /* Errors. */
    rb_string out = {NULL, 0};
    rb_error *err = NULL;
    CHECK_STATUS(rb_ingest(RB_TEXT("fax-o-matic"), RB_TEXT("{}"), NULL, 0, &out, &err),
                 RB_UNSUPPORTED_PAYLOAD);
    expect_error(err, RB_UNSUPPORTED_PAYLOAD, "", "fax-o-matic");
    CHECK_STATUS(rb_ingest(NULL, 0, RB_TEXT("{}"), NULL, 0, &out, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`vendor`");
    CHECK_STATUS(rb_ingest(RB_TEXT("callrail"), NULL, 0, NULL, 0, &out, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`payload`");
    CHECK_STATUS(rb_ingest(RB_TEXT("callrail"), RB_TEXT("{}"), NULL, 0, NULL, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`out`");
    const char bad_payload[] = "From=%2B1602\xff";
    CHECK_STATUS(rb_ingest(RB_TEXT("twilio"), RB_TEXT(bad_payload), NULL, 0, &out, &err), RB_INVALID_UTF8);
    expect_error(err, RB_INVALID_UTF8, "", "`payload`");
    CHECK(rb_ingest(RB_TEXT("callrail"), RB_TEXT("{\"answered\": fal"), NULL, 0, &out, &err) != RB_OK);
    CHECK(out.ptr == NULL && err != NULL);
    rb_error_free(err);
    CHECK(rb_ingest(RB_TEXT("twilio"), RB_TEXT("CallSid=CA1"), RB_TEXT("{\"region\": 7"), &out, &err) !=
          RB_OK);
    expect_error(err, rb_error_code(err), "options", NULL);
}

/* Round two: a voice-AI webhook carries the AI's summary; a RingCentral call-log page with a
 * bad record and an internal call keeps every other record (rb_ingest_many). */
static void test_round_two(const char *fixtures) {
    const char *options = "{\"default_location\": \"phx-01\"}";
    cJSON *r = ingest_fixture(fixtures, "retell", "retell-webhook-call-analyzed-inbound-user-hangup-reconstructed.json",
                              options);
    CHECK_STR(str_at(r, "ingested", NULL), "event");
    CHECK_STR(str_at(r, "event", "disposition"), "abandoned");
    const cJSON *ai = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "event"), "ai_receptionist");
    CHECK_STR(str_at(ai, "captured_intent", NULL), "reschedule_appointment");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ai, "handled")));
    cJSON_Delete(r);

    char page[64 * 1024];
    size_t n = (size_t)snprintf(page, sizeof page, "{\"records\": [");
    for (int i = 0; i < 100; i++) {
        const char *start = i == 17 ? "yesterday" : "2026-11-24T16:01:00Z";
        const char *from = i == 18 ? "{\"extensionNumber\": \"102\"}" : "{\"phoneNumber\": \"+16025551000\"}";
        n += (size_t)snprintf(page + n, sizeof page - n,
                              "%s{\"telephonySessionId\": \"s-%d\", \"startTime\": \"%s\", \"type\": \"Voice\", "
                              "\"direction\": \"Inbound\", \"result\": \"Missed\", \"from\": %s}",
                              i ? "," : "", i, start, from);
    }
    snprintf(page + n, sizeof page - n, "]}");
    rb_string out = {NULL, 0};
    rb_error *err = NULL;
    CHECK_STATUS(rb_ingest_many(RB_TEXT("ringcentral"), RB_TEXT(page), RB_TEXT(options), &out, &err), RB_OK);
    cJSON *items = cJSON_Parse(out.ptr);
    rb_string_free(&out);
    CHECK(cJSON_GetArraySize(items) == 100);
    int events = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, items) {
        if (strcmp(str_at(item, "ingested", NULL), "event") == 0) {
            events++;
        }
    }
    CHECK(events == 98);
    const cJSON *bad = cJSON_GetArrayItem(items, 17);
    CHECK_STR(str_at(bad, "ingested", NULL), "error");
    CHECK_STR(str_at(bad, "error", "path"), "records[17].startTime");
    CHECK_STR(str_at(cJSON_GetArrayItem(items, 18), "reason", NULL), "internal_call");
    cJSON_Delete(items);
    CHECK_STATUS(rb_ingest_many(RB_TEXT("ringcentral"), RB_TEXT("{\"records\": 3}"), NULL, 0, &out, &err),
                 RB_UNSUPPORTED_PAYLOAD);
    CHECK(out.ptr == NULL);
    expect_error(err, RB_UNSUPPORTED_PAYLOAD, "", "records");
    CHECK_STATUS(rb_ingest_many(RB_TEXT("ringcentral"), NULL, 0, NULL, 0, &out, &err), RB_NULL_POINTER);
    expect_error(err, RB_NULL_POINTER, "", "`payload`");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <fixtures dir>\n", argv[0]);
        return 2;
    }
    test_ingest(argv[1]);
    test_round_two(argv[1]);
    return check_summary("test_ingest");
}
