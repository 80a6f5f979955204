"""Countries (ISO 3166, names from CLDR) and dated EAR country-group membership."""

from dualuse.geo.countries import country_name, is_country
from dualuse.geo.groups import CountryGroups, load_country_groups

__all__ = ["CountryGroups", "country_name", "is_country", "load_country_groups"]
