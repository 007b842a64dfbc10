#!/usr/bin/python3
# libical's own reading of iCalendar text: parse errors and the RFC 5546 (iTIP) restriction check, for the tests.
#
# Reads a JSON list of {"ics": text, "publish": bool} on stdin and writes a JSON list of
# {"ok", "errors", "events", "method"}. libical marks every problem it finds with an X-LIC-ERROR
# property; check_restrictions() adds those for iTIP rules and returns false on a violation.
# A feed has no METHOD, for which libical checks little, so with "publish" it is also checked
# as METHOD:PUBLISH, the iTIP method of a published calendar.
import json
import re
import sys

MISSING = "libical checker missing: apt-get install python3-gi gir1.2-ical-3.0"

try:
    import gi

    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib as ICal  # noqa: E402
except (ImportError, ValueError):  # no gi module, or gi without the ICalGLib 3.0 typelib
    # One line the test helper passes on as it is, instead of a traceback (exit status 3 says which).
    print(MISSING, file=sys.stderr)
    sys.exit(3)


def unfolded(text):
    return re.sub(r"\r?\n[ \t]", "", text)


def errors_in(component):
    return [line for line in unfolded(component.as_ical_string()).splitlines() if line.startswith("X-LIC-ERROR")]


def check(ics, publish):
    try:
        component = ICal.Component.new_from_string(ics)
    except TypeError:  # the binding raises when libical returns no component at all
        component = None
    if component is None or component.isa() != ICal.ComponentKind.VCALENDAR_COMPONENT:
        return {"ok": False, "errors": ["libical could not parse a VCALENDAR"], "events": 0, "method": None}
    errors = errors_in(component)
    method_property = component.get_first_property(ICal.PropertyKind.METHOD_PROPERTY)
    method = method_property.get_value_as_string() if method_property else None
    if method is None and publish:
        component.add_property(ICal.Property.new_method(ICal.PropertyMethod.PUBLISH))
    restrictions_ok = component.check_restrictions() == 1
    after = errors_in(component)
    errors += [e for e in after if e not in errors]
    events = component.count_components(ICal.ComponentKind.VEVENT_COMPONENT)
    return {"ok": restrictions_ok and not errors, "errors": errors, "events": events, "method": method}


def main():
    items = json.load(sys.stdin)
    json.dump([check(item["ics"], bool(item.get("publish"))) for item in items], sys.stdout)


if __name__ == "__main__":
    main()
