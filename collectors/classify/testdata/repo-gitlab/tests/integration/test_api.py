def test_api():
    assert True
