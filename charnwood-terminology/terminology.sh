#!/bin/sh
# Loads SNOMED CT releases into Charnwood's database (see docs/terminology.md).
#   charnwood-terminology/terminology.sh load /path/to/uk_sct2mo_XX.X.X_YYYYMMDD000001Z.zip
#   charnwood-terminology/terminology.sh status
# Database: --url/--user/--password or CHARNWOOD_DB_URL / CHARNWOOD_DB_USER / CHARNWOOD_DB_PASSWORD.
set -eu
cd "$(dirname "$0")/.."
. ./.mvn/find-jdk.sh
CP=charnwood-terminology/target/classpath.txt
if [ ! -f "$CP" ] || [ -n "$(find charnwood-terminology/src charnwood-fhir/src -newer "$CP" -type f -print -quit)" ]; then
  ./mvnw -q -B -pl charnwood-terminology -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
fi
exec "$JAVA_HOME/bin/java" ${TERMINOLOGY_JAVA_OPTS:--Xmx2g} \
  -cp "charnwood-terminology/target/classes:$(cat "$CP")" "${TERMINOLOGY_MAIN:-org.charnwood.terminology.snomed.TerminologyCli}" "$@"
