-- Russian morphology for the catalog search, on PostgreSQL and PGlite alike (no dictionary files needed).
-- The snowball stemmer keeps the fleeting vowel: «кружок» → 'кружок' but «кружки» → 'кружк', «танец» → 'танец'
-- but «танцы» → 'танц'. search_fold drops an о/е/ё between the last two consonants of a lexeme, so both
-- forms meet at 'кружк' and 'танц'. It is applied to documents and queries alike, keeping positions and weights.
CREATE FUNCTION search_fold(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(
    quote_literal(regexp_replace(u.lexeme, '^(..+[бвгджзйклмнпрстфхцчшщ])[оеё]([бвгджзклмнпрстфхцчшщ])$', '\1\2'))
      || coalesce(':' || (SELECT string_agg(x.p::text || x.w, ',') FROM unnest(u.positions, u.weights) AS x(p, w)), ''),
    ' '), '')::tsvector
  FROM unnest(v) AS u
$$;
