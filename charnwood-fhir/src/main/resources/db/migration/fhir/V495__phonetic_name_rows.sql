-- The phonetic parameter of Patient, Practitioner, Person and RelatedPerson was stored as the name parameter's rows,
-- so it matched names as written. It now has rows of its own: the Soundex code of each word of each family and given
-- name, and of the whole name when it has several words (org.charnwood.fhir.search.Phonetic). This writes them for
-- the resources already stored, as the indexer would.

create function charnwood_soundex(letters text) returns text language plpgsql immutable as $$
declare
    code text := substr(letters, 1, 1);
    last text := translate(substr(letters, 1, 1), 'abcdefghijklmnopqrstuvwxyz', '01230120022455012623010202');
    c text;
    d text;
begin
    for i in 2 .. length(letters) loop
        exit when length(code) = 4;
        c := substr(letters, i, 1);
        d := translate(c, 'abcdefghijklmnopqrstuvwxyz', '01230120022455012623010202');
        if d <> '0' then
            if d <> last then
                code := code || d;
            end if;
            last := d;
        elsif c not in ('h', 'w') then
            last := '0';
        end if;
    end loop;
    return rpad(code, 4, '0');
end $$;

-- A name part as the indexer reads it: lower case, accents taken off the letters that carry them (as decomposing
-- them does), then only the letters a to z, words apart.
create function charnwood_name_letters(part text) returns text language sql immutable as $$
    select regexp_replace(translate(lower(part),
        'àáâãäåāăąçćĉċčďèéêëēĕėęěĝğġģĥìíîïĩīĭįķĺļľñńņňòóôõöōŏőŕŗřśŝşšţťùúûüũūŭůűųŵýÿŷźżžÀÁÂÃÄÅĀĂĄÇĆĈĊČĎÈÉÊËĒĔĖĘĚĜĞĠĢĤÌÍÎÏĨĪĬĮĶĹĻĽÑŃŅŇÒÓÔÕÖŌŎŐŔŖŘŚŜŞŠŢŤÙÚÛÜŨŪŬŮŰŲŴÝŸŶŹŻŽ',
        'aaaaaaaaacccccdeeeeeeeeegggghiiiiiiiiklllnnnnoooooooorrrssssttuuuuuuuuuuwyyyzzzaaaaaaaaacccccdeeeeeeeeegggghiiiiiiiiklllnnnnoooooooorrrssssttuuuuuuuuuuwyyyzzz'),
        '[^a-z]+', ' ', 'g')
$$;

insert into idx_string (res_pk, res_type, param, value_norm, value_exact, value_long)
select distinct p.res_pk, p.res_type, 'phonetic', c.code, c.code, null::text
  from (select r.res_pk, r.res_type, trim(charnwood_name_letters(part.value)) as letters
          from fhir_resource r
          join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
         cross join lateral jsonb_array_elements(case when jsonb_typeof(v.content::jsonb -> 'name') = 'array'
                                                      then v.content::jsonb -> 'name' else '[]'::jsonb end) as n(name)
         cross join lateral (select n.name ->> 'family'
                             union all
                             select g from jsonb_array_elements_text(case when jsonb_typeof(n.name -> 'given') = 'array'
                                                                          then n.name -> 'given' else '[]'::jsonb end) g)
                            as part(value)
         where not r.deleted and r.res_type in ('Patient', 'Practitioner', 'Person', 'RelatedPerson')
           and jsonb_typeof(n.name) = 'object' and part.value is not null) p
 cross join lateral (select charnwood_soundex(w) as code from regexp_split_to_table(p.letters, ' ') w where w <> ''
                     union
                     select charnwood_soundex(replace(p.letters, ' ', '')) where position(' ' in p.letters) > 0) c
 where p.letters <> '';

drop function charnwood_name_letters(text);
drop function charnwood_soundex(text);
