// Learner Management on the learner dashboard MFE: the learner's course assignments, shown as a tag in
// each assigned course's card and as an "Assigned to you" list in the sidebar.
//
// Tutor pastes this file into tutor-mfe's env.config.jsx (patch
// mfe-env-config-runtime-definitions-learner-dashboard): inside the async setConfig(), in the
// learner-dashboard block, where the three components below are named by the PLUGIN_SLOTS entries.
// So it imports with `await import` and only from packages every MFE has; it reads nothing of the MFE's
// own code. Its helpers stay inside one function so that no name but the three leaks into that scope.
//
// One request per dashboard load (GET /api/learner_mgmt/v1/me/assignments/), shared by every card and
// the sidebar. A learner with no assignment, or a failed request, sees the dashboard as it was.
const { LearnerMgmtCourseList, LearnerMgmtCardBadge, LearnerMgmtSidebar } = await (async () => {
  const {
    createContext, useContext, useEffect, useMemo, useState,
  } = await import('react');
  const { Badge, Card, Hyperlink } = await import('@openedx/paragon');
  const { getConfig } = await import('@edx/frontend-platform');
  const { getAuthenticatedHttpClient } = await import('@edx/frontend-platform/auth');

  // The server's tag variants, as Paragon badge variants; the tag's label says the same in words.
  const BADGE_VARIANTS = { required: 'warning', overdue: 'danger', optional: 'light' };
  // The sidebar lists the first few, in the server's order (required first, soonest due first).
  const SIDEBAR_LIMIT = 5;
  let myAssignments = null;
  // The courses assigned to the learner ({my_learning_url, labels, results}: the server's words, in the
  // learner's language), fetched once, or null when they could not be had: the dashboard then shows
  // nothing of them.
  const loadMyAssignments = () => {
    if (myAssignments === null) {
      const url = `${getConfig().LMS_BASE_URL}/api/learner_mgmt/v1/me/assignments/`;
      myAssignments = getAuthenticatedHttpClient().get(url).then(
        ({ data }) => (Array.isArray(data?.results) ? data : null),
        () => null,
      );
    }
    return myAssignments;
  };

  const useMyAssignments = () => {
    const [loaded, setLoaded] = useState(null);
    useEffect(() => {
      let mounted = true;
      loadMyAssignments().then((data) => { if (mounted) { setLoaded(data); } });
      return () => { mounted = false; };
    }, []);
    return loaded;
  };

  // Each card's assignment, by the card's id (cards know their id, not their course).
  const CardAssignments = createContext({});

  const AssignmentTag = ({ tag }) => (
    <Badge variant={BADGE_VARIANTS[tag.variant] || 'light'} data-lm="assignment-tag">{tag.label}</Badge>
  );

  // Wraps the course list: maps each visible card to its course's assignment.
  const CourseList = ({ component }) => {
    const data = useMyAssignments();
    const cards = component?.props?.courseListData?.visibleList;
    const byCard = useMemo(() => {
      const byCourse = new Map((data?.results || []).map((assignment) => [assignment.course_id, assignment]));
      const entries = (cards || [])
        .map((card) => [card.cardId, byCourse.get(card.courseRun?.courseId)])
        .filter(([, assignment]) => assignment?.tag);
      return Object.fromEntries(entries);
    }, [data, cards]);
    return <CardAssignments.Provider value={byCard}>{component}</CardAssignments.Provider>;
  };

  // In a card's banners: the assignment's tag ("Required · Due Jan 5, 2027", "Overdue", "Optional").
  const CardBadge = ({ cardId }) => {
    const assignment = useContext(CardAssignments)[cardId];
    if (!assignment) {
      return null;
    }
    return <div className="px-4 py-3"><AssignmentTag tag={assignment.tag} /></div>;
  };

  // The sidebar's list of what is still to do, linking to each course and to My Learning.
  const Sidebar = () => {
    const data = useMyAssignments();
    const outstanding = (data?.results || []).filter((assignment) => assignment.status !== 'completed');
    if (!outstanding.length) {
      return null;
    }
    const { labels } = data;
    return (
      <Card as="section" className="mb-3" aria-labelledby="learner-mgmt-assigned-heading" data-lm="assigned-to-you">
        <Card.Section>
          <h2 id="learner-mgmt-assigned-heading" className="h4">{labels.assigned_to_you}</h2>
          <ul className="list-unstyled mb-3">
            {outstanding.slice(0, SIDEBAR_LIMIT).map((assignment) => (
              <li key={assignment.course_id} className="mb-3">
                <Hyperlink destination={assignment.course_url} className="d-block font-weight-bold">
                  {assignment.course_title}
                </Hyperlink>
                <div className="d-flex flex-wrap align-items-center">
                  {assignment.tag && <span className="mr-2"><AssignmentTag tag={assignment.tag} /></span>}
                  <span className="small">{assignment.status_label}</span>
                </div>
              </li>
            ))}
          </ul>
          <Hyperlink destination={data.my_learning_url}>{labels.see_all}</Hyperlink>
        </Card.Section>
      </Card>
    );
  };

  return { LearnerMgmtCourseList: CourseList, LearnerMgmtCardBadge: CardBadge, LearnerMgmtSidebar: Sidebar };
})();
