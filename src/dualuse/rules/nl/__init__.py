"""The Netherlands: national licence for advanced SME; EU-listed EUV lithography."""
