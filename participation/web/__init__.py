"""HTTP plumbing shared by every domain: middleware, templating, forms, auth, errors."""

from __future__ import annotations

from starlette.convertors import IntegerConvertor, register_url_convertor


class RowIdConvertor(IntegerConvertor):
    """``{name:int}`` in every route matches 0 to 2**31 - 1 only, the range of an IntField
    (PostgreSQL ``integer``): a larger number cannot be a row id, and passing it on made the
    database refuse the query and the page answer 500; now no route matches and it is a 404.
    Registered here, the package every domain's views import before they build their routes."""

    regex = (
        "[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
        "|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]"
        "|214748364[0-7]"
    )


class BigRowIdConvertor(IntegerConvertor):
    """``{name:bigid}``: an id of a BigIntField table (comments), up to 18 digits."""

    regex = "[0-9]{1,18}"


register_url_convertor("int", RowIdConvertor())
register_url_convertor("bigid", BigRowIdConvertor())
