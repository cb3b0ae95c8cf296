"""NPS maths on hand-computed cases."""

from tandem.feedback.nps import NpsFigures, nps_of


def test_zero_responses_give_no_nps_rather_than_zero():
    figures = NpsFigures(delivered=5)
    assert figures.responses == 0
    assert figures.nps is None
    assert figures.share("promoter") is None
    assert figures.response_rate == 0


def test_nothing_delivered_gives_no_response_rate():
    assert NpsFigures().response_rate is None


def test_all_promoters_is_100_and_all_detractors_is_minus_100():
    assert nps_of([9, 10, 10]).nps == 100
    assert nps_of([0, 3, 6]).nps == -100


def test_passives_count_in_the_base_but_not_the_score():
    assert nps_of([7, 8]).nps == 0
    assert nps_of([10, 8, 8, 5]).nps == 0


def test_mixed_answers_round_half_away_from_zero():
    # 3 promoters, 4 passives, 1 detractor of 8: 37.5 % − 12.5 % = 25
    figures = nps_of([9, 9, 10, 7, 7, 8, 8, 2])
    assert (figures.promoters, figures.passives, figures.detractors) == (3, 4, 1)
    assert figures.nps == 25
    # 1 promoter, 2 detractors of 8: 12.5 − 25 = −12.5 → −13
    assert nps_of([10, 7, 7, 8, 8, 8, 1, 0]).nps == -13
    # 2 promoters, 1 detractor of 3: 33.3 → 33
    assert nps_of([9, 10, 0]).nps == 33


def test_group_boundaries():
    figures = nps_of([6, 7, 8, 9])
    assert (figures.promoters, figures.passives, figures.detractors) == (1, 2, 1)


def test_response_rate_is_answers_over_delivered():
    assert NpsFigures(promoters=2, passives=1, delivered=8).response_rate == 38
    assert NpsFigures(promoters=4, delivered=4).response_rate == 100
