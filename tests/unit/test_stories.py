from newsfacts.warehouse.stories import Known, assign_stories, signature

WIRE = (
    "US forces in Iraq number about 2,500 troops, the Pentagon said on Monday, adding that there "
    "were no current plans to withdraw them after Baghdad moved to end the coalition's mission."
)
REWRITE = "BAGHDAD (Reuters) - " + WIRE + " The statement came after a week of strikes."
OTHER = "Russia said on Tuesday it would send more peacekeepers to the region as talks stalled."
WIRE_AR = "قالت وزارة الدفاع الأميركية الاثنين إن نحو 2500 جندي أميركي ما زالوا في العراق ولا خطط لسحبهم حاليا"
WIRE_AR_VARIANT = "قالت وزارة الدفاع الأميركية الإثنين إنّ نحو ٢٥٠٠ جندي أميركي ما زالوا في العراق ولا خطط لسحبهم حالياً"


def known(article_id: str, body: str, published: str, story: str = "") -> Known:
    return Known(article_id, story, published, signature(body))


def test_copies_share_the_earliest_story_and_others_stand_alone() -> None:
    stories = assign_stories(
        [
            known("b", REWRITE, "2024-01-08T12:00:00"),
            known("a", WIRE, "2024-01-08T10:00:00"),
            known("c", OTHER, "2024-01-08T11:00:00"),
        ],
        [],
    )
    assert stories == {"a": "a", "b": "a", "c": "c"}


def test_a_later_copy_joins_a_story_already_in_the_warehouse() -> None:
    existing = [known("a", WIRE, "2024-01-08T10:00:00", story="a")]
    assert assign_stories([known("z", REWRITE, "2024-01-09T09:00:00")], existing) == {"z": "a"}


def test_spelling_variants_and_digits_do_not_split_a_story() -> None:
    stories = assign_stories(
        [known("x", WIRE_AR, "2024-01-08"), known("y", WIRE_AR_VARIANT, "2024-01-08")], []
    )
    assert stories["y"] == "x"


def test_assignment_does_not_depend_on_arrival_order() -> None:
    items = [known("b", REWRITE, "2024-01-08T12:00:00"), known("a", WIRE, "2024-01-08T10:00:00")]
    assert assign_stories(items, []) == assign_stories(list(reversed(items)), [])
