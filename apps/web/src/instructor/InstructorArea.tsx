import { Navigate, Route, Routes } from 'react-router';
import { MyCourses } from './MyCourses';
import { CourseAuthoring } from './CourseAuthoring';
import { CourseAnalytics } from './CourseAnalytics';
import './instructor.css';

/** The instructor's screens, under `#/teach`: my courses, a course's authoring, a course's analytics. */
export function InstructorArea() {
  return (
    <Routes>
      <Route index element={<MyCourses />} />
      <Route path="courses/:id" element={<CourseAuthoring />} />
      <Route path="courses/:id/analytics" element={<CourseAnalytics />} />
      <Route path="*" element={<Navigate to="/teach" replace />} />
    </Routes>
  );
}
