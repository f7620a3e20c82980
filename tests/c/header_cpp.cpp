// Proves include/ringback.h is usable from C++ (extern "C", no C-only constructs): compiled
// with g++ -std=c++17 -Wall -Wextra -Werror, linked against libringback and run.
#include "ringback.h"

#include <cstdio>
#include <cstring>
#include <string>

int main() {
    const std::string policy = R"({"version": "cpp-1", "locations": [{"id": "phx-01",
        "name": "Phoenix", "vertical": "home_services", "time_zone": "America/Phoenix",
        "hours": {"tue": [["07:00","18:00"]]}}]})";
    const std::string event = R"({"event_id": "CPP1", "location_id": "phx-01",
        "occurred_at": "2026-11-24T09:15:00-07:00", "caller_number": "+16025550143",
        "disposition": "no_answer"})";

    rb_engine *engine = nullptr;
    rb_error *err = nullptr;
    int failed = 0;
    if (rb_engine_new(reinterpret_cast<const uint8_t *>(policy.data()), policy.size(), &engine, &err) != RB_OK) {
        std::fprintf(stderr, "engine: %s\n", rb_error_message(err));
        rb_error_free(err);
        return 1;
    }
    rb_string out = {nullptr, 0};
    rb_status st = rb_engine_process(engine, reinterpret_cast<const uint8_t *>(event.data()), event.size(),
                                     nullptr, 0, &out, &err);
    failed += st != RB_OK;
    failed += out.ptr == nullptr || std::strstr(out.ptr, "\"event_id\":\"CPP1\"") == nullptr;
    rb_string_free(&out);
    st = rb_engine_process(engine, nullptr, 0, nullptr, 0, &out, &err);
    failed += st != RB_NULL_POINTER || rb_error_code(err) != RB_NULL_POINTER;
    failed += std::strcmp(rb_status_str(st), "null_pointer") != 0;
    rb_error_free(err);
    rb_engine_free(engine);
    std::printf("header_cpp: %d passed, %d failed\n", 4 - failed, failed);
    return failed == 0 ? 0 : 1;
}
