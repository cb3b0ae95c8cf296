from tandem.feedback import tokens


def test_a_token_opens_its_nonce_and_nothing_else():
    nonce = tokens.nonce_new()
    token = tokens.token_for(nonce)
    assert tokens.nonce_of(token) == nonce
    assert tokens.nonce_of(nonce) is None
    assert tokens.nonce_of(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    other = tokens.nonce_new()
    assert tokens.nonce_of(other + token[token.rindex(".") :]) is None
    assert tokens.nonce_of("x" * 500) is None
    assert tokens.nonce_of(None) is None
