from fazhi.core.models import Instrument
from tests.enforcement.test_documents import text_of


def test_probe(people, decided):
    case = decided(fine="1000", served=True)
    print(case.recommendation.get("citations"))
    for i in Instrument.objects.all():
        print(i.kind)
        print(text_of(i))
