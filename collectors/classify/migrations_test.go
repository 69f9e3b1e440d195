package classify

import (
	"testing"

	"github.com/cdaudit/cdaudit/model"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMigrationPairing(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  model.MigrationFacts
	}{
		{
			name: "golang-migrate",
			files: map[string]string{
				"go.mod":                           "module x",
				"db/migrations/0001_a.up.sql":      "create table a();",
				"db/migrations/0001_a.down.sql":    "drop table a;",
				"db/migrations/0002_b.up.sql":      "create table b();",
				"db/migrations/0003_c.down.sql":    "drop table c;",
				"other/migrations/0001_a.up.sql":   "create table x();",
				"other/migrations/0001_a.down.sql": "drop table x;",
			},
			want: model.MigrationFacts{Tools: []string{"golang-migrate"}, Dirs: []string{"db/migrations", "other/migrations"}, Files: 6, UpDown: 2, UpOnly: 1},
		},
		{
			name: "sqlx in a Rust project",
			files: map[string]string{
				"Cargo.toml":                     "[package]",
				"migrations/20240101_a.up.sql":   "create table a();",
				"migrations/20240101_a.down.sql": "drop table a;",
				"migrations/20240102_b.sql":      "create table b();",
			},
			want: model.MigrationFacts{Tools: []string{"sqlx"}, Dirs: []string{"migrations"}, Files: 3, UpDown: 1, UpOnly: 1},
		},
		{
			name: "flyway",
			files: map[string]string{
				"db/migration/V1__a.sql":   "create table a();",
				"db/migration/U1__a.sql":   "drop table a;",
				"db/migration/V1_1__b.sql": "create table b();",
				"db/migration/R__v.sql":    "create view v as select 1;",
			},
			want: model.MigrationFacts{Tools: []string{"flyway"}, Dirs: []string{"db/migration"}, Files: 4, UpDown: 1, UpOnly: 1},
		},
		{
			name: "goose and dbmate by contents",
			files: map[string]string{
				"migrations/001_a.sql":         "-- +goose Up\ncreate table a();\n-- +goose Down\ndrop table a;\n",
				"migrations/002_b.sql":         "-- +goose Up\ncreate table b();\n-- +goose Down\n-- nothing\n",
				"db/migrations/20240101_c.sql": "-- migrate:up\ncreate table c();\n\n-- migrate:down\ndrop table c;\n",
			},
			want: model.MigrationFacts{Tools: []string{"dbmate", "goose"}, Dirs: []string{"db/migrations", "migrations"}, Files: 3, UpDown: 2, UpOnly: 1},
		},
		{
			name: "alembic",
			files: map[string]string{
				"alembic.ini":            "[alembic]",
				"alembic/versions/a1.py": "def upgrade():\n    op.create_table('a')\n\n\ndef downgrade():\n    \"\"\"Drop.\"\"\"\n    op.drop_table('a')\n",
				"alembic/versions/b2.py": "def upgrade():\n    op.create_table('b')\n\n\ndef downgrade():\n    # irreversible\n    pass\n",
			},
			want: model.MigrationFacts{Tools: []string{"alembic"}, Dirs: []string{"alembic/versions"}, Files: 2, UpDown: 1, UpOnly: 1},
		},
		{
			name: "rails",
			files: map[string]string{
				"db/migrate/20240101000000_a.rb": "class A < ActiveRecord::Migration[7.1]\n  def change\n    create_table :a\n  end\nend\n",
				"db/migrate/20240102000000_b.rb": "class B < ActiveRecord::Migration[7.1]\n  def up\n    execute 'x'\n  end\nend\n",
				"db/migrate/20240103000000_c.rb": "class C < ActiveRecord::Migration[7.1]\n  def up; end\n  def down\n    raise ActiveRecord::IrreversibleMigration\n  end\nend\n",
			},
			want: model.MigrationFacts{Tools: []string{"rails"}, Dirs: []string{"db/migrate"}, Files: 3, UpDown: 1, UpOnly: 2, Reversal: true},
		},
		{
			name: "knex named by package.json",
			files: map[string]string{
				"package.json":             `{"dependencies": {"knex": "^3"}}`,
				"migrations/20240101_a.js": "exports.up = function (k) {};\nexports.down = function (k) {};\n",
				"migrations/20240102_b.js": "exports.up = async (k) => {};\n",
			},
			want: model.MigrationFacts{Tools: []string{"knex"}, Dirs: []string{"migrations"}, Files: 2, UpDown: 1, UpOnly: 1},
		},
		{
			name: "typeorm, laravel, ef core",
			files: map[string]string{
				"src/migrations/1700000000000-Init.ts":                   "export class Init implements MigrationInterface {\n  async up() {}\n  async down() {}\n}\n",
				"database/migrations/2024_01_01_000000_create_users.php": "<?php\nreturn new class extends Migration {\n public function up(): void { Schema::create('u'); }\n public function down(): void { Schema::drop('u'); }\n};\n",
				"Data/Migrations/20240101000000_Init.cs":                 "protected override void Up(MigrationBuilder b) { b.CreateTable(); }\nprotected override void Down(MigrationBuilder b)\n{\n}\n",
				"Data/Migrations/20240101000000_Init.Designer.cs":        "// generated",
			},
			want: model.MigrationFacts{Tools: []string{"ef-core", "laravel", "typeorm"}, Dirs: []string{"Data/Migrations", "database/migrations", "src/migrations"}, Files: 4, UpDown: 2, UpOnly: 1},
		},
		{
			name: "sqitch, prisma, diesel, atlas",
			files: map[string]string{
				"db/sqitch.plan":                                "%project=x",
				"db/deploy/users.sql":                           "create table users();",
				"db/revert/users.sql":                           "drop table users;",
				"db/verify/users.sql":                           "select 1;",
				"db/deploy/orders.sql":                          "create table orders();",
				"prisma/migrations/20240101_init/migration.sql": "create table a();",
				"prisma/migrations/migration_lock.toml":         "provider = \"postgresql\"",
				"migrations/2024-01-01-000000_init/up.sql":      "create table d();",
				"migrations/2024-01-01-000000_init/down.sql":    "drop table d;",
				"atlas/migrations/20240101_a.sql":               "create table e();",
				"atlas/migrations/atlas.sum":                    "h1:x",
			},
			want: model.MigrationFacts{Tools: []string{"atlas", "diesel", "prisma", "sqitch"},
				Dirs: []string{"atlas/migrations", "db", "migrations", "prisma/migrations"}, Files: 8, UpDown: 2, UpOnly: 3},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tf := classifyFiles(t, tc.files)
			if d := cmp.Diff(tc.want, tf.Migrations, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("migrations (-want +got):\n%s", d)
			}
		})
	}
}

func TestMigrationsWithoutContents(t *testing.T) {
	// No reader: files whose down step lives inside them stay unknown.
	tf, err := Classify(t.Context(), []string{"alembic/versions/a.py", "alembic/versions/b.py", "migrations/1_a.up.sql"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := model.MigrationFacts{Tools: []string{"alembic", "golang-migrate"}, Dirs: []string{"alembic/versions", "migrations"}, Files: 3, UpOnly: 1}
	if d := cmp.Diff(want, tf.Migrations); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestDjangoReversibility(t *testing.T) {
	cases := []struct {
		src  string
		down bool
	}{
		{"operations = [migrations.AddField('a', 'b', f)]", true},
		{"operations = [migrations.RunPython(forwards)]", false},
		{"operations = [migrations.RunPython(forwards, backwards)]", true},
		{"operations = [migrations.RunPython(forwards, reverse_code=migrations.RunPython.noop)]", true},
		{"operations = [migrations.RunSQL('update x')]", false},
		{"operations = [migrations.RunSQL('update x', 'update y')]", true},
	}
	for _, tc := range cases {
		t.Run(tc.src, func(t *testing.T) {
			_, down, design := migrationContent(migCand{tool: "django"}, []byte(tc.src), "", false)
			if down != tc.down || !design {
				t.Errorf("down = %v (want %v), byDesign = %v", down, tc.down, design)
			}
		})
	}
}
