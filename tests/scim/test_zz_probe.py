from .test_multi_valued import *  # noqa
from .test_multi_valued import mv, patch, row, refused, WORK, HOME  # noqa
from ecmactl.scim.writes import to_row

def test_q(mv):
    for f in ['emails[foo eq "x"]', 'emails.foo eq "x"', 'emails[value eq 5]', 'emails.value gt 5', 'emails eq "x"', f'{ECMA}:roleCodes eq 5', f'{ECMA}:roleCodes[value eq "admin"]', 'emails[type eq "work"].value eq null', 'emails.value pr', 'emails[value.foo eq "x"]', f'{ECMA}:roleCodes.value eq "admin"', 'emails.primary eq true', 'emails.value eq true']:
        try:
            flt = parse_filter(f)
            plan = plan_query(mv, flt)
            res = mv.to_resource(row(roles=[{"value":"admin"}]), BASE_URL)
            print(f, plan, matches(flt, res, mv.rules if hasattr(mv,'rules') else None))
        except ScimError as e:
            print(f, e.status, e.detail)
        except Exception as e:
            print(f, "EXC", type(e), e)

def test_body(mv):
    base = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bjensen", "name": {"givenName":"a","familyName":"b"}}
    for em in ["x@y", {"value": "a@b"}, {"work": "a@b"}, [WORK, {**HOME, "primary": True}], [{"value": "a@b", "Type": "work", "PRIMARY": "True"}], [{"value":"a@b","display":"x"}], [{"value":"a@b", "$ref": "x"}], [WORK]*3, 7, True, [], None]:
        try:
            print(repr(em)[:60], to_row(mv, {**base, "emails": em}, None).columns.get("Address"))
        except ScimError as e:
            print(repr(em)[:60], e.status, e.detail)
        except Exception as e:
            print(repr(em)[:60], "EXC", type(e), e)
