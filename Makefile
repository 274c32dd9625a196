# Targets for `sam build` (BuildMethod: makefile in template.yaml): each function ships the
# folder that `npm run build` writes for it (index.mjs, its chunks and source maps), the same
# bundle the tests and the local hub load (docs/decisions/0910). SAM sets ARTIFACTS_DIR.

build-VenueApiFunction:
	node --import tsx scripts/build.ts venue-api
	cp -R dist/venue-api/. "$(ARTIFACTS_DIR)"

build-NotificationFanoutFunction:
	node --import tsx scripts/build.ts notification-fanout
	cp -R dist/notification-fanout/. "$(ARTIFACTS_DIR)"

build-PostConfirmationFunction:
	node --import tsx scripts/build.ts post-confirmation
	cp -R dist/post-confirmation/. "$(ARTIFACTS_DIR)"

build-RulesValidatorFunction:
	node --import tsx scripts/build.ts rules-validator
	cp -R dist/rules-validator/. "$(ARTIFACTS_DIR)"

build-OutboxSweeperFunction:
	node --import tsx scripts/build.ts outbox-sweeper
	cp -R dist/outbox-sweeper/. "$(ARTIFACTS_DIR)"
