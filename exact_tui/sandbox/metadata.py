"""`$metadata`: the OData v3 service document (EDMX/CSDL) of the entities the sandbox serves.

Exact documents `$metadata` for each service (`/api/v1/{division}/crm/$metadata`); a generic OData
client reads it to learn entity types, keys and property types. The sandbox builds it from the same
documented property lists it serves (reference.py), so what `$metadata` promises is what a GET gives.
"""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from .schema import ROUTES, EntitySpec

_EDM = {"Guid": "Edm.Guid", "String": "Edm.String", "Int16": "Edm.Int16", "Int32": "Edm.Int32", "Int64": "Edm.Int64",
        "Byte": "Edm.Byte", "Double": "Edm.Double", "Decimal": "Edm.Decimal", "Boolean": "Edm.Boolean",
        "DateTime": "Edm.DateTime", "Binary": "Edm.Binary"}
NAMESPACE = "Exact.Web.Api.Models"


def _service(spec: EntitySpec) -> str:
    head = spec.path.split("/")[0].lower()
    return spec.path.split("/")[1].lower() if head in ("sync", "bulk", "read") else head


def edmx(service: str = "") -> bytes | None:
    """The document for one service (e.g. "crm", "salesentry", "sync") or, with "", all of them;
    None for a service the sandbox does not serve."""
    wanted = service.strip("/").lower()
    specs = [s for s in ROUTES.values() if not wanted or _service(s) == wanted or s.path.lower().startswith(wanted + "/")]
    if not specs:
        return None
    types: dict[str, str] = {}
    sets: list[str] = []
    for spec in specs:
        type_name = spec.type_name
        if type_name not in types:
            props = spec.properties
            keys = [name for name, prop in props.items() if prop.key] or [spec.key]
            refs = "".join(f"<PropertyRef Name={quoteattr(key)} />" for key in keys)
            lines = [f'<EntityType Name={quoteattr(type_name)}><Key>{refs}</Key>']
            for name, prop in props.items():
                if prop.navigation:
                    continue
                nullable = "false" if prop.key or prop.required else "true"
                lines.append(f'<Property Name={quoteattr(name)} Type="{_EDM.get(prop.type, "Edm.String")}" '
                             f'Nullable="{nullable}" />')
            lines.append("</EntityType>")
            types[type_name] = "".join(lines)
        sets.append(f'<EntitySet Name={quoteattr(spec.path)} EntityType="{NAMESPACE}.{type_name}" />')
    body = (
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
        '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">'
        '<edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" '
        'm:DataServiceVersion="3.0">'
        f'<Schema Namespace="{NAMESPACE}" xmlns="http://schemas.microsoft.com/ado/2009/11/edm">'
        + "".join(types.values())
        + '<EntityContainer Name="ExactOnlineApi" m:IsDefaultEntityContainer="true">' + "".join(sets)
        + "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>"
    )
    return body.encode()
