"""The OpenAPI 3.1 description of the HTTP API, served at ``GET /openapi.json``.

Every status code and body shape the routes send is listed, so a client generator or a reader knows
what to expect; tests/server/test_openapi_live.py provokes each documented (route, status) on a live
Gunicorn stack and validates the answer against its schema. The limits shown are the ``Settings`` the
service runs with.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint

from server.config import Settings

openapi = Blueprint("openapi", __name__)

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def answer(description: str, schema: str, headers: tuple[str, ...] = ()) -> dict[str, Any]:
    """One documented response: a JSON body of ``schema`` and the named headers."""
    response: dict[str, Any] = {"description": description, "content": {JSON: {"schema": ref(schema)}}}
    if headers:
        response["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in headers}
    return response


FORBIDDEN = answer("STABLECONFIGS_API_KEY is set and header X-API-Key is missing or wrong.", "Error")
UNAVAILABLE = answer("Redis (the job store) is unreachable; retry after Retry-After seconds.", "Error",
                     ("Retry-After",))
NOT_FOUND = answer("The id was never submitted, or its result expired (STABLECONFIGS_RESULT_EXPIRES).",
                   "Error")
TASK_ID = {"name": "task_id", "in": "path", "required": True, "description": "The id POST /task returned.",
           "schema": {"type": "string"}}
WAIT = {"name": "wait", "in": "query", "required": False,
        "description": "Seconds to hold the answer until the job reports new progress (count or k) or ends "
                       "(a long poll); then, or when nothing changed by then, the usual answer. Capped at STABLECONFIGS_MAX_WAIT; not a number "
                       "from 0 up: 400 BadRequest.",
        "schema": {"type": "number", "minimum": 0}}


def schemas(settings: Settings) -> dict[str, Any]:
    """The JSON Schemas of the bodies (JSON Schema 2020-12, as OpenAPI 3.1 uses)."""
    tokens = {"type": "array", "items": {"type": "string", "maxLength": settings.max_token_length},
              "maxItems": settings.max_sites_per_monomer}
    count = {"type": "integer", "minimum": 0}
    energy = {"type": "number", "description": "The energy engine only (excess monomers, bond weight or energy "
                                              "bounds): W x unbound limiting sites + merges (docs/energy.md)."}
    return {
        "TaskRequest": {
            "type": "object", "required": ["monomers"],
            "properties": {
                "monomers": {"type": "array", "items": tokens, "maxItems": settings.max_monomers,
                             "description": "One list of tokens per monomer: the tokens of a TBN text line "
                                            "(a, a*, a*:s1, >name last; 2[...] and 3(a) repeat)."},
                "constraints": {"type": ["array", "null"], "items": tokens, "maxItems": settings.max_constraints,
                                "default": [], "description": "One list per constraint, keyword first "
                                "(TOGETHER, NOTTOGETHER, FREE, NOTFREE, PAIRED, NOTPAIRED, ANYPAIRED, "
                                "NOTANYPAIRED)."},
                "gen": {"type": "integer", "minimum": 1, "maximum": settings.max_gen, "default": 1,
                        "description": "How many configurations, best first; fewer when fewer exist."},
                "init_k": {"type": "integer", "minimum": 1, "maximum": settings.max_monomers, "default": 1,
                           "description": "A lower bound on the polymer count."},
                # a listing (docs/api.md, Listings): every configuration asked for, and "complete"
                "all": {"type": ["boolean", "null"], "description": "List every stable configuration (with "
                        "constraints: every best one meeting them)."},
                "within": {"type": ["integer", "null"], "minimum": 0, "maximum": settings.max_monomers,
                           "description": "List every configuration of at least entropy - within polymers."},
                "min_polymers": {"type": ["integer", "null"], "minimum": 1, "maximum": settings.max_monomers,
                                 "description": "StableTBN's MIN POLYMERS: the best count of at least this."},
                "max_polymers": {"type": ["integer", "null"], "minimum": 1, "maximum": settings.max_monomers,
                                 "description": "StableTBN's MAX POLYMERS: the best count of at most this."},
                "no_optimize": {"type": ["boolean", "null"], "description": "StableTBN's NO OPTIMIZE: every "
                                "saturated configuration in the min/max_polymers window."},
                "max_configs": {"type": ["integer", "null"], "minimum": 1, "maximum": settings.max_configs,
                                "description": "Stop a listing after this many (default the maximum)."},
                # the energy engine (docs/energy.md); monomers may also be in excess, ["inf[a", "b]"]
                "bond_weight": {"type": ["number", "null"], "exclusiveMinimum": 0,
                                "description": "StableTBN's bond weight W (at most 6 decimal places): energy "
                                               "= W x unbound limiting sites + merges, minimised."},
                "min_energy": {"type": ["number", "null"], "description": "StableTBN's MIN ENERGY: only "
                               "configurations of at least this energy."},
                "max_energy": {"type": ["number", "null"], "description": "StableTBN's MAX ENERGY: only "
                               "configurations of at most this energy."},
                "check": {"oneOf": [{"type": "string"}, {"type": "array", "items": ref("Polymer")},
                                    {"type": "object", "description": "{\"polymers\": [...]}, or a result "
                                     "holding one configuration"}, {"type": "null"}],
                          "description": "A configuration to judge instead of a solve (docs/check.md): text, one "
                                         "monomer per line and a blank line between polymers, or the polymers "
                                         "as a result gives them. Not with constraints, gen, init_k or a listing."},
            },
        },
        "TaskAccepted": {"type": "object", "required": ["task_id"],
                         "properties": {"task_id": {"type": "string", "format": "uuid"}}},
        "Monomer": {"type": "array", "items": {"type": "string"},
                    "description": "The monomer's site tokens (labels kept), then >name if it is named."},
        "Polymer": {"type": "array", "items": ref("Monomer")},
        "Configuration": {"type": "object", "required": ["polymers", "polymers_count"],
                          "properties": {"polymers": {"type": "array", "items": ref("Polymer")},
                                         "polymers_count": {"type": "integer", "minimum": 1},
                                         "energy": energy}},
        "Result": {"type": "object", "required": ["status", "configs", "count", "entropy"],
                   "properties": {"status": {"const": "COMPLETE"},
                                  "configs": {"type": "array", "items": ref("Configuration")},
                                  "count": count, "entropy": {"type": "integer", "minimum": 1},
                                  "complete": {"type": "boolean", "description": "Listings only: no other "
                                               "configuration is in the window (false: a cap or the time "
                                               "limit ended the list)."},
                                  "energy": {**energy, "description": "The energy engine only: the least "
                                             "energy (docs/energy.md)."}}},
        "CheckAnswer": {"type": "object", "required": ["status", "check"], "properties": {
            "status": {"const": "COMPLETE"},
            "check": {"type": "object", "required": ["valid", "problems", "saturated", "unsaturated", "stable",
                                                     "polymers_count", "entropy", "distance", "polymers"],
                      "properties": {
                          "valid": {"type": "boolean", "description": "Exactly the TBN's monomers, each once."},
                          "problems": {"type": "array", "items": {"type": "string"},
                                       "description": "Why it is not valid (line or polymer and monomer)."},
                          "saturated": {"type": ["boolean", "null"]},
                          "unsaturated": {"type": "array", "items": {
                              "type": "object", "required": ["polymer", "domain", "site", "unbound"],
                              "properties": {"polymer": {"type": "integer", "minimum": 1},
                                             "domain": {"type": "string"}, "site": {"type": "string"},
                                             "unbound": {"type": "integer", "minimum": 1}}}},
                          "stable": {"type": "boolean"}, "polymers_count": count,
                          "entropy": {"type": ["integer", "null"]},
                          "distance": {"type": ["integer", "null"], "description": "entropy - polymers_count"},
                          "polymers": {"type": "array", "items": ref("Polymer")}}}}},
        "Progress": {"type": "object", "required": ["status", "count", "k"],
                     "properties": {"status": {"const": "Progress"},
                                    "count": {**count, "description": "Configuration being computed "
                                                                      "(1-based; 0 while queued)."},
                                    "k": {**count, "description": "Polymer bound being tried (0 while queued)."}}},
        "TimedOut": {"type": "object", "required": ["status", "message", "best", "upper_bound"],
                     "properties": {"status": {"const": "TimedOut"}, "message": {"type": "string"},
                                    "best": {"oneOf": [ref("Configuration"), {"type": "null"}]},
                                    "upper_bound": {"type": ["integer", "null"]}}},
        "TBNException": {"type": "object", "required": ["status", "message"],
                         "properties": {"status": {"const": "TBNException"}, "message": {"type": "string"}}},
        "JobException": {"type": "object", "required": ["status", "message"],
                         "properties": {"status": {"const": "Exception"}, "message": {"type": "string"}}},
        "Error": {"type": "object", "required": ["status", "message"],
                  "properties": {"status": {"type": "string", "description": "BadRequest, Forbidden, NotFound, "
                                            "RequestEntityTooLarge, TooManyRequests, Busy, Unavailable, ..."},
                                 "message": {"type": "string"}}},
        "Terminating": {"type": "object", "required": ["status"],
                        "properties": {"status": {"type": "string", "pattern": "^terminating task: "}}},
        "Health": {"type": "object", "required": ["status", "redis", "workers"],
                   "properties": {"status": {"enum": ["ok", "unavailable"]}, "redis": {"type": "string"},
                                  "workers": {"type": "array", "items": {"type": "string"}},
                                  "queued": {"type": ["integer", "null"]}}},
    }


OTHER = answer("Any other error, e.g. 405 for a wrong method or 500 for a bug (logged).", "Error")


def spec(settings: Settings) -> dict[str, Any]:
    """The OpenAPI document for a service running with ``settings``."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "StableConfigs", "version": "2.0.0",
                 "description": "Stable configurations of Thermodynamic Binding Networks, solved as background "
                                "jobs: POST a task, poll its status, terminate it. Every answer is a JSON object."},
        "servers": [{"url": "/"}],
        "components": {
            "schemas": schemas(settings),
            "headers": {
                "Location": {"description": "/status/<task_id>", "schema": {"type": "string"}},
                "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}},
            },
            "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                                           "description": "Required only when STABLECONFIGS_API_KEY is set."}},
        },
        "security": [{}, {"ApiKey": []}],
        "paths": {
            "/task": {"post": {
                "summary": "Queue a job",
                "requestBody": {"required": True, "content": {JSON: {"schema": ref("TaskRequest")}}},
                "responses": {
                    "202": answer("Queued. A TBN or constraint error is also 202: GET /status then answers 401.",
                                  "TaskAccepted", ("Location",)),
                    "400": answer("Not a task request: not JSON, no monomers, a bad field or a limit passed "
                                  "(the message names the field or the STABLECONFIGS_* limit).", "Error"),
                    "403": FORBIDDEN,
                    "413": answer(f"Body larger than {settings.max_body_bytes} bytes (STABLECONFIGS_MAX_BODY_BYTES).",
                                  "Error"),
                    "429": answer("More than STABLECONFIGS_RATE_LIMIT submissions this minute from this client.",
                                  "Error", ("Retry-After",)),
                    "503": answer("STABLECONFIGS_MAX_QUEUED jobs already wait (status Busy), or Redis is "
                                  "unreachable (status Unavailable).", "Error", ("Retry-After",)),
                }}},
            "/status/{task_id}": {"get": {
                "summary": "A job's progress or answer (at once, or on its next progress or end with ?wait=)",
                "parameters": [TASK_ID, WAIT],
                "responses": {
                    "200": {"description": "Done: the result, or for a check request its verdict.",
                            "content": {JSON: {"schema": {"anyOf": [ref("Result"), ref("CheckAnswer")]}}}},
                    "202": answer("Queued (count 0, k 0) or running.", "Progress"),
                    "203": answer("A transient state (Celery RETRY); poll again.", "Progress"),
                    "400": {"description": "Ran past STABLECONFIGS_TIMEOUT, or too large for the exact search: "
                                           "the best configuration found and the proven upper bound on the "
                                           "polymer count (TimedOut); or a bad wait value (BadRequest).",
                            "content": {JSON: {"schema": {"anyOf": [ref("TimedOut"), ref("Error")]}}}},
                    "401": answer("An error in the TBN or constraints, init_k above what is reachable, or "
                                  "terminated: \"Early Termination at count [c] min polymers [k].\"", "TBNException"),
                    "402": answer("Anything unexpected, including \"Worker lost: ...\".", "JobException"),
                    "403": FORBIDDEN,
                    "404": NOT_FOUND,
                    "503": UNAVAILABLE,
                }}},
            "/terminate/{task_id}": {"delete": {
                "summary": "Stop a job (a running solve within a fraction of a second)",
                "parameters": [TASK_ID],
                "responses": {"200": answer("Terminating; GET /status then answers 401 (or 200 if it had "
                                            "finished).", "Terminating"),
                              "403": FORBIDDEN, "404": NOT_FOUND, "503": UNAVAILABLE}}},
            "/health": {"get": {
                "summary": "Redis and the workers",
                "responses": {"200": answer("Redis answers and at least one worker's heartbeat is current "
                                            "(read from Redis: milliseconds).", "Health"),
                              "403": FORBIDDEN,
                              "503": answer("Redis unreachable or no worker; the fields say which.", "Health")}}},
            "/openapi.json": {"get": {
                "summary": "This description", "security": [{}],
                "responses": {"200": {"description": "The OpenAPI document.",
                                      "content": {JSON: {"schema": {"type": "object"}}}}}}},
        },
    }
    for path in document["paths"].values():
        for operation in path.values():
            operation["responses"]["default"] = OTHER
    return document


@openapi.get("/openapi.json")
def openapi_json() -> dict[str, Any]:
    """The description, for the settings of the app serving it (no API key needed)."""
    from server.api import services

    return spec(services().settings)
