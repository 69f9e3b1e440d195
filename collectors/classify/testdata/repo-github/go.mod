module example.com/app

go 1.26

require (
	github.com/stretchr/testify v1.9.0
	github.com/golang-migrate/migrate/v4 v4.17.0
	github.com/brianvoe/gofakeit/v7 v7.0.0
)
