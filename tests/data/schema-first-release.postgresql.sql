-- The tables as `create_all` made them at the first release (commit 62ea080), for postgresql.

CREATE TABLE demarche (
	id SERIAL NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	template_id VARCHAR(64) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE atelier (
	id SERIAL NOT NULL, 
	demarche_id INTEGER, 
	name VARCHAR(200) NOT NULL, 
	template_id VARCHAR(64) NOT NULL, 
	format_id VARCHAR(64) NOT NULL, 
	audience VARCHAR(200), 
	held_on VARCHAR(10), 
	phase_index INTEGER NOT NULL, 
	phase_locked BOOLEAN NOT NULL, 
	timer_ends_at TIMESTAMP WITHOUT TIME ZONE, 
	timer_remaining INTEGER, 
	settings JSON NOT NULL, 
	join_code VARCHAR(12) NOT NULL, 
	facilitator_token VARCHAR(64) NOT NULL, 
	screen_token VARCHAR(64) NOT NULL, 
	review_token VARCHAR(64) NOT NULL, 
	seq INTEGER NOT NULL, 
	stage_version INTEGER NOT NULL, 
	is_demo BOOLEAN NOT NULL, 
	carried JSON NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT phase_index_not_negative CHECK (phase_index >= 0), 
	FOREIGN KEY(demarche_id) REFERENCES demarche (id), 
	UNIQUE (join_code), 
	UNIQUE (facilitator_token), 
	UNIQUE (screen_token), 
	UNIQUE (review_token)
);

CREATE TABLE applied_action (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	actor VARCHAR(32) NOT NULL, 
	op_id VARCHAR(64) NOT NULL, 
	result JSON NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_application_per_action UNIQUE (atelier_id, actor, op_id), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE
);

CREATE TABLE engagement (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	theme_id VARCHAR(64) NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	purpose TEXT NOT NULL, 
	how JSON NOT NULL, 
	position INTEGER NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE
);

CREATE INDEX ix_engagement_atelier_id ON engagement (atelier_id);

CREATE TABLE participant (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	pseudonym VARCHAR(40) NOT NULL, 
	pseudonym_key VARCHAR(40) NOT NULL, 
	persona_id VARCHAR(64), 
	college VARCHAR(200), 
	language VARCHAR(5) NOT NULL, 
	token VARCHAR(64) NOT NULL, 
	rejoin_code VARCHAR(12) NOT NULL, 
	joined_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	last_seen_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_pseudonym_per_atelier UNIQUE (atelier_id, pseudonym_key), 
	CONSTRAINT one_rejoin_code_per_atelier UNIQUE (atelier_id, rejoin_code), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE, 
	UNIQUE (token)
);

CREATE INDEX ix_participant_atelier_id ON participant (atelier_id);

CREATE TABLE engagement_support (
	id SERIAL NOT NULL, 
	engagement_id INTEGER NOT NULL, 
	participant_id INTEGER NOT NULL, 
	persona_id VARCHAR(64), 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_support_per_engagement UNIQUE (engagement_id, participant_id), 
	FOREIGN KEY(engagement_id) REFERENCES engagement (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participant (id) ON DELETE CASCADE
);

CREATE TABLE paradox_choice (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	participant_id INTEGER NOT NULL, 
	persona_id VARCHAR(64), 
	paradox_id VARCHAR(64) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_choice_per_paradox UNIQUE (participant_id, paradox_id), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participant (id) ON DELETE CASCADE
);

CREATE INDEX ix_paradox_choice_atelier_id ON paradox_choice (atelier_id);

CREATE TABLE piste (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	participant_id INTEGER, 
	persona_id VARCHAR(64), 
	theme_id VARCHAR(64) NOT NULL, 
	text TEXT NOT NULL, 
	horizon VARCHAR(16) NOT NULL, 
	hashtags JSON NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	merged_into_id INTEGER, 
	origin_atelier_id INTEGER, 
	origin_label VARCHAR(200), 
	origin_piste_id INTEGER, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT known_piste_status CHECK (status IN ('visible', 'hidden', 'withdrawn', 'merged')), 
	CONSTRAINT not_merged_into_itself CHECK (merged_into_id IS NULL OR merged_into_id != id), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participant (id) ON DELETE SET NULL, 
	FOREIGN KEY(merged_into_id) REFERENCES piste (id) ON DELETE SET NULL, 
	FOREIGN KEY(origin_atelier_id) REFERENCES atelier (id) ON DELETE SET NULL, 
	FOREIGN KEY(origin_piste_id) REFERENCES piste (id) ON DELETE SET NULL
);

CREATE INDEX ix_piste_atelier_id ON piste (atelier_id);

CREATE INDEX ix_piste_atelier_theme ON piste (atelier_id, theme_id);

CREATE TABLE reve (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	participant_id INTEGER, 
	persona_id VARCHAR(64), 
	theme_id VARCHAR(64) NOT NULL, 
	text TEXT NOT NULL, 
	hidden BOOLEAN NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participant (id) ON DELETE SET NULL
);

CREATE INDEX ix_reve_atelier_id ON reve (atelier_id);

CREATE TABLE review_comment (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	engagement_id INTEGER, 
	reviewer VARCHAR(80) NOT NULL, 
	opinion VARCHAR(12), 
	text TEXT NOT NULL, 
	op_id VARCHAR(64) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT known_opinion CHECK (opinion IS NULL OR opinion IN ('favorable', 'reserve', 'a_amender')), 
	CONSTRAINT one_comment_per_submission UNIQUE (atelier_id, op_id), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE, 
	FOREIGN KEY(engagement_id) REFERENCES engagement (id) ON DELETE SET NULL
);

CREATE INDEX ix_review_comment_atelier_id ON review_comment (atelier_id);

CREATE TABLE value_vote (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	participant_id INTEGER NOT NULL, 
	persona_id VARCHAR(64), 
	value_id VARCHAR(64) NOT NULL, 
	points INTEGER NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_vote_per_value UNIQUE (participant_id, value_id), 
	CONSTRAINT points_positive CHECK (points > 0), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participant (id) ON DELETE CASCADE
);

CREATE INDEX ix_value_vote_atelier_id ON value_vote (atelier_id);

CREATE TABLE value_word (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	participant_id INTEGER NOT NULL, 
	persona_id VARCHAR(64), 
	value_id VARCHAR(64) NOT NULL, 
	word VARCHAR(40) NOT NULL, 
	word_key VARCHAR(40) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_word_once UNIQUE (participant_id, value_id, word_key), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participant (id) ON DELETE CASCADE
);

CREATE INDEX ix_value_word_atelier_id ON value_word (atelier_id);

CREATE TABLE engagement_piste (
	id SERIAL NOT NULL, 
	engagement_id INTEGER NOT NULL, 
	piste_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(engagement_id) REFERENCES engagement (id) ON DELETE CASCADE, 
	UNIQUE (piste_id), 
	FOREIGN KEY(piste_id) REFERENCES piste (id) ON DELETE CASCADE
);

CREATE TABLE support (
	id SERIAL NOT NULL, 
	atelier_id INTEGER NOT NULL, 
	participant_id INTEGER NOT NULL, 
	persona_id VARCHAR(64), 
	piste_id INTEGER NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_support_per_piste UNIQUE (participant_id, piste_id), 
	FOREIGN KEY(atelier_id) REFERENCES atelier (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participant (id) ON DELETE CASCADE, 
	FOREIGN KEY(piste_id) REFERENCES piste (id) ON DELETE CASCADE
);

CREATE INDEX ix_support_atelier_id ON support (atelier_id);

CREATE INDEX ix_support_piste_id ON support (piste_id);
